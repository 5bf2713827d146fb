import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Route tests run on the embedded defaults in a fresh data directory. */
export function prepareTestEnvironment(overrides: Record<string, string> = {}): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'tekup-dashboard-test-'));
  Object.assign(process.env, {
    TEKUP_DATA_DIR: dataDir,
    SESSION_SECRET: 'route-test-session-secret-route-test-0123456789',
    REDIS_URL: '',
    DATABASE_URL: '',
    MCP_GATEWAY_URL: '',
    OPENAI_API_KEY: '',
    TEKUP_ALLOWED_ORIGINS: 'http://dashboard.test',
    ...overrides,
  });
  return dataDir;
}

export const ORIGIN = 'http://dashboard.test';

/** Builds a Request to the dashboard with an optional session cookie and same-origin headers. */
export function dashboardRequest(
  path: string,
  init: {
    method?: string;
    cookie?: string;
    body?: unknown;
    headers?: Record<string, string>;
    origin?: string | null;
  } = {},
): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  if (method !== 'GET' && init.origin !== null) headers.set('origin', init.origin ?? ORIGIN);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return new Request(`${ORIGIN}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** The `name=value` part of a Set-Cookie header. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie');
  if (!header) throw new Error('no Set-Cookie header');
  return header.split(';')[0] as string;
}
