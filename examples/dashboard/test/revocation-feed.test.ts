/**
 * Keys and sessions are cached per process (an authenticated call costs no store round trip);
 * a revocation made by another dashboard instance reaches this one through Redis at once.
 * Reported as skipped without REDIS_URL.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cookieFrom, dashboardRequest, prepareTestEnvironment } from './setup-env';

const redisUrl = process.env.REDIS_URL;

if (redisUrl) {
  prepareTestEnvironment({ REDIS_URL: redisUrl });
  const login = await import('@/app/api/auth/login/route');
  const keys = await import('@/app/api/keys/route');
  const gatewayRoute = await import('@/app/api/gateway/[...path]/route');
  const { runtime } = await import('@/server/gateway');
  const { database } = await import('@/server/db');
  const { onRevocation } = await import('@/server/revocation-feed');
  // Another instance's connection: it changes the shared stores and announces what it did.
  const other = new Redis(redisUrl);

  afterAll(async () => {
    other.disconnect();
    await (await runtime()).close();
  });

  const signIn = async (email: string) =>
    cookieFrom(
      await login.POST(
        dashboardRequest('/api/auth/login', { body: { email, password: 'tekup-demo' } }),
      ),
    );
  const listTools = (headers: Record<string, string>) =>
    gatewayRoute
      .POST(
        dashboardRequest('/api/gateway/mcp/billy', {
          body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
          headers: { accept: 'application/json', ...headers },
        }),
      )
      .then((response) => response.status);
  /** Resolves when this process has heard of the revocation of `id`. */
  const heard = (id: string) =>
    new Promise<void>((resolve) => onRevocation((revocation) => revocation.id === id && resolve()));

  describe('revocations from another instance (Redis)', () => {
    it('refuse a cached API key as soon as they are announced', async () => {
      const admin = await signIn('admin@tekup.dk');
      const created = await keys.POST(
        dashboardRequest('/api/keys', { cookie: admin, body: { name: 'feed test' } }),
      );
      const { key, summary } = (await created.json()) as { key: string; summary: { id: string } };
      const bearer = { authorization: `Bearer ${key}` };
      expect(await listTools(bearer)).toBe(200);

      // Revoked in the shared database by another instance: this one still trusts its cache…
      await (await database()).query(
        'update dashboard_api_keys set revoked_at = now() where id = $1',
        [summary.id],
      );
      expect(await listTools(bearer)).toBe(200);
      // …until the announcement arrives.
      const arrived = heard(summary.id);
      await other.publish('tekup:revocations', JSON.stringify({ kind: 'api-key', id: summary.id }));
      await arrived;
      expect(await listTools(bearer)).toBe(401);
    });

    it('refuse a cached session as soon as its sign-out is announced', async () => {
      const cookie = await signIn('member@tekup.dk');
      expect(await listTools({ cookie })).toBe(200);
      const { openSession, SESSION_COOKIE } = await import('@/server/session');
      const session = await openSession(cookie.slice(SESSION_COOKIE.length + 1));
      if (!session) throw new Error('the session did not open');
      await other.set(`tekup:revoked-session:${session.sid}`, '1', 'PX', 60_000);
      expect(await listTools({ cookie })).toBe(200);
      const arrived = heard(session.sid);
      await other.publish(
        'tekup:revocations',
        JSON.stringify({ kind: 'session', id: session.sid }),
      );
      await arrived;
      expect(await listTools({ cookie })).toBe(401);
    });
  });
} else {
  describe.skip('revocations from another instance (needs REDIS_URL)', () => {});
}
