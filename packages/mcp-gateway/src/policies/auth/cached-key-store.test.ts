import { describe, expect, it } from 'vitest';
import { createManualClock } from '../test-context.js';
import {
  type ApiKeyRecord,
  type ApiKeyStore,
  createApiKeyAuthenticator,
  generateApiKey,
} from './api-key-authenticator.js';
import { createCachedApiKeyStore } from './cached-key-store.js';

/** A store over a mutable map that counts its lookups (the database of a real deployment). */
function countingStore(records: ApiKeyRecord[]) {
  const byId = new Map(records.map((record) => [record.id, record]));
  let lookups = 0;
  const gates: (() => void)[] = [];
  let gated = false;
  const store: ApiKeyStore = {
    async get(id) {
      lookups += 1;
      if (gated) await new Promise<void>((resolve) => gates.push(resolve));
      return byId.get(id);
    },
  };
  return {
    store,
    byId,
    lookups: () => lookups,
    gate() {
      gated = true;
    },
    release() {
      gated = false;
      for (const open of gates.splice(0)) open();
    },
  };
}

const bearer = (key: string) =>
  new Request('http://gateway.test/mcp/billy', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });

describe('createCachedApiKeyStore', () => {
  it('looks a key up once per TTL, then again after it', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const backing = countingStore([record]);
    const clock = createManualClock(0);
    const keys = createCachedApiKeyStore(backing.store, { ttlMs: 1000, clock });
    const authenticate = createApiKeyAuthenticator({ keys });
    for (let round = 0; round < 5; round++) await authenticate(bearer(key), {});
    expect(backing.lookups()).toBe(1);
    clock.advance(1001);
    await authenticate(bearer(key), {});
    expect(backing.lookups()).toBe(2);
  });

  it('refuses a revoked key at once when told, and within the TTL when not', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const backing = countingStore([record]);
    const clock = createManualClock(0);
    const keys = createCachedApiKeyStore(backing.store, { ttlMs: 1000, clock });
    const authenticate = createApiKeyAuthenticator({ keys, clock });
    await authenticate(bearer(key), {});

    backing.byId.set(record.id, { ...record, revokedAt: 0 });
    keys.invalidate(record.id);
    await expect(authenticate(bearer(key), {})).rejects.toMatchObject({ code: 'unauthorized' });

    const other = await generateApiKey({ ownerId: 'svc', role: 'service' });
    backing.byId.set(other.record.id, other.record);
    await authenticate(bearer(other.key), {});
    backing.byId.set(other.record.id, { ...other.record, revokedAt: 0 });
    // Not told: the cached record still answers until it expires.
    await authenticate(bearer(other.key), {});
    clock.advance(1001);
    await expect(authenticate(bearer(other.key), {})).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('caches unknown ids too, so random ids do not reach the store on every request', async () => {
    const backing = countingStore([]);
    const keys = createCachedApiKeyStore(backing.store, { clock: createManualClock(0) });
    const authenticate = createApiKeyAuthenticator({ keys });
    const { key } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    for (let round = 0; round < 3; round++) {
      await expect(authenticate(bearer(key), {})).rejects.toMatchObject({ code: 'unauthorized' });
    }
    expect(backing.lookups()).toBe(1);
  });

  it('shares one lookup among concurrent requests, and does not cache one an invalidation overtook', async () => {
    const { key, record } = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const backing = countingStore([record]);
    const keys = createCachedApiKeyStore(backing.store, { clock: createManualClock(0) });
    backing.gate();
    const first = keys.get(record.id);
    const second = keys.get(record.id);
    expect(backing.lookups()).toBe(1);
    // Revoked while the lookup was on its way: what it brings back is stale.
    keys.invalidate(record.id);
    backing.release();
    await Promise.all([first, second]);
    backing.byId.set(record.id, { ...record, revokedAt: 0 });
    const authenticate = createApiKeyAuthenticator({ keys, clock: createManualClock(0) });
    await expect(authenticate(bearer(key), {})).rejects.toMatchObject({ code: 'unauthorized' });
    expect(backing.lookups()).toBe(2);
  });

  it('evicts the least recently used records beyond maxEntries', async () => {
    const records = await Promise.all(
      [1, 2, 3].map(() => generateApiKey({ ownerId: 'svc', role: 'service' })),
    );
    const backing = countingStore(records.map((generated) => generated.record));
    const keys = createCachedApiKeyStore(backing.store, {
      maxEntries: 2,
      clock: createManualClock(0),
    });
    for (const { record } of records) await keys.get(record.id);
    await keys.get(records[0]!.record.id);
    expect(backing.lookups()).toBe(4);
  });
});

describe('onUse', () => {
  it('reports keys that authenticated, never a wrong secret or a revoked key', async () => {
    const good = await generateApiKey({ ownerId: 'svc', role: 'service' });
    const revoked = await generateApiKey({ ownerId: 'svc', role: 'service', revokedAt: 0 });
    const used: string[] = [];
    const authenticate = createApiKeyAuthenticator({
      keys: [good.record, revoked.record],
      onUse: (record) => used.push(record.id),
      clock: createManualClock(10),
    });
    await authenticate(bearer(good.key), {});
    await expect(authenticate(bearer(`${good.key.slice(0, -3)}AAA`), {})).rejects.toBeDefined();
    await expect(authenticate(bearer(revoked.key), {})).rejects.toBeDefined();
    expect(used).toEqual([good.record.id]);
  });
});
