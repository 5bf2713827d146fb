/**
 * A small `fetch` for upstream calls on node:http / node:https with keep-alive agents.
 * Node 20's built-in fetch (undici) costs several times more CPU per request than
 * http.request; the gateway's Web-only core takes any `fetch`, and the Node entry passes
 * this one. It implements only what the upstream connection uses: string URLs, plain-object
 * headers, string bodies, `signal`, and streamed (SSE) or buffered responses.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { textResponse } from '../http/body-cache.js';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Concurrent sockets per upstream origin. @default 256 */
  maxSockets?: number;
}

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    headers.append(raw[index] as string, raw[index + 1] as string);
  }
  return headers;
}

/**
 * Creates the keep-alive `fetch` used by the standalone gateway for upstream requests.
 *
 * @example
 * const gateway = createGateway({ ...options, fetch: createNodeFetch() });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch & { close(): void } {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const nodeFetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url =
        typeof input === 'string'
          ? new URL(input)
          : input instanceof URL
            ? input
            : new URL(input.url);
      const secure = url.protocol === 'https:';
      let headers: Record<string, string>;
      const given = init.headers;
      if (given !== undefined && !(given instanceof Headers) && !Array.isArray(given)) {
        headers = { ...(given as Record<string, string>) };
      } else {
        headers = {};
        new Headers(given).forEach((value, key) => {
          headers[key] = value;
        });
      }
      const body = init.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        reject(new TypeError('createNodeFetch supports string bodies only'));
        return;
      }
      if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? httpsAgent : httpAgent,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (message) => {
          const status = message.statusCode ?? 502;
          const responseHeaders = toHeaders(message);
          if (status === 204 || status === 304 || init.method === 'HEAD') {
            message.resume();
            resolve(new Response(null, { status, headers: responseHeaders }));
            return;
          }
          if ((responseHeaders.get('content-type') ?? '').includes('text/event-stream')) {
            resolve(
              new Response(Readable.toWeb(message) as ReadableStream<Uint8Array>, {
                status,
                headers: responseHeaders,
              }),
            );
            return;
          }
          const chunks: Buffer[] = [];
          message.on('data', (chunk: Buffer) => chunks.push(chunk));
          message.on('end', () => {
            const text =
              chunks.length === 1
                ? (chunks[0] as Buffer).toString('utf8')
                : Buffer.concat(chunks).toString('utf8');
            resolve(textResponse(text, { status, headers: responseHeaders }));
          });
          message.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body ?? undefined);
    });
  return Object.assign(nodeFetch as typeof fetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}
