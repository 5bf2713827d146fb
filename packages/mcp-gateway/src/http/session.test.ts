import { describe, expect, it } from 'vitest';
import { createSessionCodec } from './session.js';

function manualClock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('session codec', () => {
  it('round-trips claims and is verifiable by another instance with the same secret', async () => {
    const clock = manualClock();
    const one = createSessionCodec({ secret: 'shared-secret-0123456789', ttlMs: 1000, clock });
    const two = createSessionCodec({ secret: 'shared-secret-0123456789', ttlMs: 1000, clock });
    const id = await one.issue({
      protocolVersion: '2025-06-18',
      principalId: 'u1',
      server: 'billy',
    });
    expect(await two.verify(id)).toEqual({
      protocolVersion: '2025-06-18',
      principalId: 'u1',
      server: 'billy',
      issuedAt: 1_000_000,
      interaction: '',
    });
  });

  it('rejects other secrets, tampering, garbage and expiry', async () => {
    const clock = manualClock();
    const codec = createSessionCodec({ secret: 'shared-secret-0123456789', ttlMs: 1000, clock });
    const other = createSessionCodec({ secret: 'another-secret-012345678', ttlMs: 1000, clock });
    const id = await codec.issue({
      protocolVersion: '2025-06-18',
      principalId: 'u1',
      server: 'billy',
    });
    expect(await other.verify(id)).toBeUndefined();
    const [body, signature] = id.split('.') as [string, string];
    const forgedBody = btoa(
      JSON.stringify({ v: 1, p: '2025-06-18', u: 'admin', s: 'billy', t: 1_000_000 }),
    ).replace(/=+$/, '');
    expect(await codec.verify(`${forgedBody}.${signature}`)).toBeUndefined();
    expect(await codec.verify(`${body}.${signature}x`)).toBeUndefined();
    expect(await codec.verify('not-a-session')).toBeUndefined();
    expect(await codec.verify('a.b.c')).toBeUndefined();
    clock.advance(1001);
    expect(await codec.verify(id)).toBeUndefined();
  });

  it('revokes locally', async () => {
    const codec = createSessionCodec({ secret: undefined, ttlMs: 1000, clock: manualClock() });
    const id = await codec.issue({ protocolVersion: '2025-11-25', principalId: 'u', server: 's' });
    expect(await codec.verify(id)).toBeDefined();
    codec.revoke(id);
    expect(await codec.verify(id)).toBeUndefined();
  });
});
