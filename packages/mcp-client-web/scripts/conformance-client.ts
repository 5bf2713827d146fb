/**
 * The client under test for `@modelcontextprotocol/conformance client`: it receives the server
 * URL as its last argument and the scenario in MCP_CONFORMANCE_SCENARIO.
 */
import { createGatewayClient } from '../src/index';

const url = process.argv.at(-1) ?? '';
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const client = createGatewayClient({
  gateway: url,
  servers: ['conformance'],
  endpoint: () => url,
  clientInfo: { name: 'tekup-mcp-client-web-conformance', version: '0.1.0' },
  timeoutMs: 15_000,
  // Forms are accepted as they come: the client fills in the defaults of what is left out.
  questions: { elicitation: ['form'], answer: async () => ({ action: 'accept', content: {} }) },
});

try {
  const { tools, failures } = await client.listTools();
  if (failures.length > 0) throw failures[0]?.error;
  if (scenario === 'tools_call') {
    const add = tools.find((tool) => tool.tool === 'add_numbers');
    if (!add) throw new Error('add_numbers is missing');
    const result = await client.callTool(add.name, { a: 5, b: 3 });
    console.log(JSON.stringify(result));
  } else if (scenario === 'elicitation-sep1034-client-defaults') {
    const tool = tools.find((candidate) => candidate.tool === 'test_client_elicitation_defaults');
    if (!tool) throw new Error('test_client_elicitation_defaults is missing');
    console.log(JSON.stringify(await client.callTool(tool.name, {})));
  } else if (scenario === 'sse-retry') {
    const tool = tools.find((candidate) => candidate.tool === 'test_reconnection');
    if (!tool) throw new Error('test_reconnection is missing');
    const result = await client.callTool(tool.name, {});
    console.log(JSON.stringify(result));
  }
  await client.close();
} catch (error) {
  console.error(error);
  await client.close();
  process.exitCode = 1;
}
