/**
 * Helpers for gateway integration tests: JSON-RPC requests sent straight to `gateway.fetch`.
 */
import type { Gateway } from '../src/index.js';

/** Options of {@link post}. */
export interface PostOptions {
  headers?: Record<string, string>;
  sessionId?: string;
}

let nextId = 1;

/** POSTs a JSON-RPC request (or raw text) to `/mcp/{server}`. */
export function post(
  gateway: Gateway,
  server: string,
  body: unknown,
  options: PostOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...options.headers,
  };
  if (options.sessionId !== undefined) headers['mcp-session-id'] = options.sessionId;
  return gateway.fetch(
    new Request(`http://localhost${gateway.config.basePath}/mcp/${server}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** A JSON-RPC request body with a fresh id. */
export function rpc(method: string, params?: Record<string, unknown>): Record<string, unknown> {
  return params === undefined
    ? { jsonrpc: '2.0', id: nextId++, method }
    : { jsonrpc: '2.0', id: nextId++, method, params };
}

/** Calls a tool through the gateway and returns the parsed JSON body and status. */
export async function callTool(
  gateway: Gateway,
  server: string,
  name: string,
  args: Record<string, unknown> = {},
  options: PostOptions = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await post(gateway, server, rpc('tools/call', { name, arguments: args }), {
    ...options,
    headers: { accept: 'application/json', ...options.headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** The text of the first content item of a tools/call result body. */
export function resultText(body: Record<string, unknown>): string | undefined {
  const result = body.result as { content?: { text?: string }[] } | undefined;
  return result?.content?.[0]?.text;
}

/** `error.data.code` of a JSON-RPC error body. */
export function errorCode(body: Record<string, unknown>): string | undefined {
  return (body.error as { data?: { code?: string } } | undefined)?.data?.code;
}

/** A clock tests move by hand. */
export function createManualClock(start = 1_700_000_000_000): {
  now(): number;
  advance(ms: number): void;
} {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}
