import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Web handler served over node:http on 127.0.0.1 and a random port. */
export interface ServedHandler {
  /** `http://127.0.0.1:{port}` */
  origin: string;
  close(): Promise<void>;
}

/** Serves a `(Request) => Response` handler with node:http, streaming response bodies. */
export async function serveHandler(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<ServedHandler> {
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    }
    const controller = new AbortController();
    outgoing.on('close', () => controller.abort());
    const method = incoming.method ?? 'GET';
    const request = new Request(`http://127.0.0.1${incoming.url ?? '/'}`, {
      method,
      headers,
      body:
        method === 'GET' || method === 'HEAD' || chunks.length === 0
          ? undefined
          : Buffer.concat(chunks),
      signal: controller.signal,
    });
    try {
      const response = await handler(request);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.flushHeaders();
      if (response.body) {
        const reader = response.body.getReader();
        outgoing.on('close', () => void reader.cancel().catch(() => undefined));
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          outgoing.write(value);
        }
      }
      outgoing.end();
    } catch (error) {
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
