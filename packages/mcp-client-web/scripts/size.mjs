/** Prints the min+gzip size of this package's root entry next to the official SDK client's. */
import { measureBundle, sdkClientSource } from './measure.mjs';

const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = [
  ['@tekup/mcp-client-web (root entry)', await measureBundle({ entry: 'src/index.ts' })],
  [
    '@tekup/mcp-client-web/ai (excluding ai)',
    await measureBundle({ entry: 'src/ai.ts', external: ['ai'] }),
  ],
  [
    '@modelcontextprotocol/sdk Client + StreamableHTTPClientTransport',
    await measureBundle({ contents: sdkClientSource }),
  ],
];
for (const [name, size] of rows) {
  console.log(
    `${name.padEnd(70)} ${kilobytes(size.minified).padStart(9)} min  ${kilobytes(size.gzip).padStart(8)} min+gzip`,
  );
}
