import { describe, expect, it } from 'vitest';
import { cancelKey, createInFlight } from './in-flight.js';

describe('in-flight requests', () => {
  it('cancels by caller, session and id, and only the request in flight', () => {
    const inFlight = createInFlight();
    const request = new Request('http://gateway/mcp/billy', {
      headers: { 'mcp-session-id': 'session-1' },
    });
    const controller = new AbortController();
    const leave = inFlight.enter(cancelKey('user-1', request, 4), controller);
    inFlight.cancel(cancelKey('user-2', request, 4));
    inFlight.cancel(cancelKey('user-1', new Request('http://gateway/mcp/billy'), 4));
    expect(controller.signal.aborted).toBe(false);
    inFlight.cancel(cancelKey('user-1', request, 4));
    expect(controller.signal.aborted).toBe(true);
    leave();
    const finished = new AbortController();
    inFlight.enter(cancelKey('user-1', request, 5), finished)();
    inFlight.cancel(cancelKey('user-1', request, 5));
    expect(finished.signal.aborted).toBe(false);
  });

  it('drains: refuses new work at once and waits for the requests in flight', async () => {
    const inFlight = createInFlight();
    const leave = inFlight.enter('a', new AbortController());
    let drained = false;
    const draining = inFlight.drain(60_000).then(() => {
      drained = true;
    });
    expect(inFlight.closing).toBe(true);
    await Promise.resolve();
    expect(drained).toBe(false);
    leave();
    leave();
    await draining;
    expect(drained).toBe(true);
  });

  it('stops waiting at the deadline', async () => {
    const inFlight = createInFlight();
    inFlight.enter('a', new AbortController());
    await expect(inFlight.drain(1)).resolves.toBeUndefined();
  });
});
