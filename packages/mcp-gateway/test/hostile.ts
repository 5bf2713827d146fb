/**
 * Generators of hostile requests for the fuzz suites (fast-check): deep nesting in every field,
 * huge and odd numbers, wrong types, prototype keys, bad headers, oversize bodies. Shared by
 * the gateway core, Node adapter and dashboard front suites.
 */
import fc from 'fast-check';

/** One generated request, before it is bound to a URL. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const deepObject = (depth: number, leaf = '1') =>
  `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** JSON text that nests far past any sane bound. */
export const deepJson = fc
  .tuple(fc.integer({ min: 65, max: 12_000 }), fc.boolean())
  .map(([depth, array]) => (array ? deepArray(depth) : deepObject(depth)));

const oddNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '-0',
  '0.0000000001e-400',
  '1.7976931348623157e308',
);

const oddValue: fc.Arbitrary<string> = fc.oneof(
  oddNumber,
  fc.constantFrom(
    'null',
    'true',
    '[]',
    '{}',
    '""',
    '"\\u0000"',
    '"\\ud800"',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
  ),
  fc.string({ maxLength: 40 }).map((text) => JSON.stringify(text)),
  deepJson,
);

/** `common` most of the time (9 in 10), `rare` otherwise; fast-check's edge bias off. */
function mostly<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .tuple(fc.noBias(fc.integer({ min: 0, max: 9 })), common, rare)
    .map(([roll, usual, unusual]) => (roll < 9 ? usual : unusual));
}

const methods = mostly(
  fc.constantFrom('tools/call', 'tools/call', 'tools/list'),
  fc.constantFrom(
    'initialize',
    'ping',
    'resources/read',
    'prompts/get',
    'notifications/cancelled',
    'server/discover',
    'logging/setLevel',
    '__proto__',
    'constructor',
    '',
    'x'.repeat(300),
  ),
);

/** A JSON-RPC-ish body with a hostile value in one field. */
const rpcBody = fc
  .record({
    id: fc.oneof(
      fc.constant('1'),
      oddNumber,
      fc.constant('"id"'),
      fc.constant('{}'),
      fc.constant('null'),
    ),
    method: methods,
    tool: fc.constantFrom('echo', 'create_invoice', 'slow', 'whoami', '__proto__', '', 'nope'),
    slot: fc.constantFrom('arguments', 'meta', 'params', 'name', 'jsonrpc', 'id', 'cursor'),
    value: oddValue,
  })
  .map(({ id, method, tool, slot, value }) => {
    const name = slot === 'name' ? value : JSON.stringify(tool);
    const args = slot === 'arguments' ? value : '{"text":"x","ms":1,"amount":1}';
    const meta = slot === 'meta' ? `,"_meta":${value}` : '';
    const cursor = slot === 'cursor' ? `,"cursor":${value}` : '';
    const params =
      slot === 'params' ? value : `{"name":${name},"arguments":${args}${meta}${cursor}}`;
    const jsonrpc = slot === 'jsonrpc' ? value : '"2.0"';
    const theId = slot === 'id' ? value : id;
    return `{"jsonrpc":${jsonrpc},"id":${theId},"method":${JSON.stringify(method)},"params":${params}}`;
  });

const garbageBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '[',
    '"',
    '{"jsonrpc":"2.0"',
    '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
    '\u0000\u0001',
    '   ',
  ),
  deepJson,
  fc
    .integer({ min: 1_100_000, max: 1_300_000 })
    .map(
      (size) => `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(size)}"}}`,
    ),
);

const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value)),
  fc.constantFrom(
    '2026-07-28',
    '2025-11-25',
    '1999-01-01',
    'tools/call',
    'echo',
    '=?base64?ZWNobw==?=',
    '=?base64?!!!?=',
    'x'.repeat(2000),
  ),
);

/** Up to two hostile headers on top of a well-formed request's. */
const hostileHeaders = fc
  .array(
    fc.oneof(
      fc.tuple(
        fc.constant('content-type'),
        fc.constantFrom('text/plain', 'application/json; charset=utf-8', 'multipart/form-data'),
      ),
      fc.tuple(
        fc.constant('accept'),
        fc.constantFrom('application/json', 'text/event-stream', '*/*'),
      ),
      fc.tuple(fc.constant('mcp-protocol-version'), headerValue),
      fc.tuple(fc.constant('mcp-session-id'), headerValue),
      fc.tuple(fc.constant('mcp-method'), headerValue),
      fc.tuple(fc.constant('mcp-name'), headerValue),
      fc.tuple(fc.constant('mcp-param-region'), headerValue),
      fc.tuple(
        fc.constant('origin'),
        fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'),
      ),
      fc.tuple(fc.constant('x-request-id'), headerValue),
      fc.tuple(fc.constant('cache-control'), fc.constantFrom('no-cache', 'no-store', 'max-age=0')),
      fc.tuple(
        fc.constant('x-tekup-on-behalf-of'),
        fc.oneof(
          headerValue,
          deepJson.map((json) => json.slice(0, 3000)),
        ),
      ),
    ),
    { maxLength: 2 },
  )
  .map((pairs) => ({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...Object.fromEntries(pairs),
  }));

/** A hostile request to one of the gateway's routes. `servers` are the configured names. */
export function hostileRequest(servers: readonly string[]): fc.Arbitrary<HostileRequest> {
  // Mostly well-routed, so most requests get past routing into the stages and the upstream.
  return fc.record({
    method: mostly(
      fc.constant('POST'),
      fc.constantFrom('GET', 'DELETE', 'OPTIONS', 'PUT', 'PATCH'),
    ),
    path: mostly(
      fc.constantFrom(...servers.map((server) => `/mcp/${server}`)),
      fc.constantFrom(
        '/mcp/nope',
        '/mcp/%ZZ',
        '/mcp/',
        '/decisions',
        '/servers',
        '/health',
        '/metrics',
        '/',
        '/mcp/billy/extra',
        `/mcp/${'x'.repeat(500)}`,
      ),
    ),
    headers: hostileHeaders,
    body: mostly<string | undefined>(rpcBody, fc.oneof(garbageBody, fc.constant(undefined))),
  });
}

/** Tallies answers by status and gateway code, for the printed summary. */
export function createTally() {
  const counts = new Map<string, number>();
  return {
    add(status: number, code: string | undefined) {
      const key = `${status} ${code ?? '-'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    print(label: string) {
      const lines = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      process.stdout.write(
        `\n${label}: ${lines.reduce((sum, [, count]) => sum + count, 0)} hostile requests\n${lines
          .map(([key, count]) => `  ${String(count).padStart(5)}  ${key}`)
          .join('\n')}\n`,
      );
    },
  };
}

/**
 * What must hold for every answer: a known status, and a body that is empty (202/204) or a
 * JSON-RPC result or typed error — never a stack trace. Returns the gateway code, if any.
 */
export function checkAnswer(
  status: number,
  text: string,
  contentType = 'application/json',
): string | undefined {
  const allowed = [200, 201, 202, 204, 400, 401, 403, 404, 405, 413, 415, 429, 499, 502, 503, 504];
  if (!allowed.includes(status))
    throw new Error(`unexpected status ${status}: ${text.slice(0, 300)}`);
  if (/\n\s+at .+:\d+:\d+/.test(text))
    throw new Error(`stack trace in the answer: ${text.slice(0, 300)}`);
  if (status === 202 || status === 204) return undefined;
  if (text === '') {
    if (status === 200) return undefined;
    throw new Error(`empty ${status}`);
  }
  if (contentType.includes('text/event-stream')) return 'sse';
  if (contentType.includes('text/plain') && status === 200) return 'metrics';
  let body: {
    jsonrpc?: unknown;
    result?: unknown;
    error?: { code?: unknown; data?: { code?: unknown } };
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`answer is not JSON: ${text.slice(0, 300)}`);
  }
  if (body.error !== undefined) {
    if (typeof body.error.code !== 'number')
      throw new Error(`untyped error: ${text.slice(0, 300)}`);
    const code = body.error.data?.code;
    if (typeof code !== 'string' && status !== 200)
      throw new Error(`error without data.code: ${text.slice(0, 300)}`);
    return typeof code === 'string' ? code : 'rpc';
  }
  // /health answers 503 with its own JSON body when no server is usable.
  if (status >= 400 && !(status === 503 && 'status' in body)) {
    throw new Error(`${status} without an error object: ${text.slice(0, 300)}`);
  }
  return 'ok';
}
