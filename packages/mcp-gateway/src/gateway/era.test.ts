import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import type { ClientMessage } from '../http/json-rpc.js';
import { createSessionCodec } from '../http/session.js';
import type { Principal } from '../pipeline/types.js';
import { assertEra } from './era.js';

const sessions = createSessionCodec({
  secret: 'era-test-secret-0123456789',
  ttlMs: 60_000,
  clock: { now: () => 1_000 },
});
const principal: Principal = { id: 'user-1', kind: 'user', role: 'member' };
const call: ClientMessage = {
  kind: 'request',
  id: 1,
  method: 'tools/call',
  params: { name: 'echo' },
};

async function problem(
  headers: Record<string, string>,
  message: ClientMessage = call,
  caller: Principal = principal,
): Promise<string> {
  const request = new Request('http://gateway/mcp/billy', { method: 'POST', headers });
  const modern = headers['mcp-protocol-version'] === '2026-07-28';
  try {
    await assertEra(sessions, { request, serverName: 'billy', modern, principal: caller }, message);
    return 'ok';
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
}

describe('assertEra', () => {
  it('serves 2025 requests with a session of this server and owner, or none', async () => {
    const id = await sessions.issue({
      protocolVersion: '2025-11-25',
      principalId: 'user-1',
      server: 'billy',
    });
    const other = await sessions.issue({
      protocolVersion: '2025-11-25',
      principalId: 'user-1',
      server: 'database',
    });
    expect(await problem({})).toBe('ok');
    expect(await problem({ 'mcp-session-id': id })).toBe('ok');
    expect(await problem({ 'mcp-session-id': other })).toBe('session_not_found');
    expect(await problem({ 'mcp-session-id': 'forged' })).toBe('session_not_found');
    expect(await problem({ 'mcp-session-id': id }, call, { ...principal, id: 'user-2' })).toBe(
      'session_not_found',
    );
    // A trusted service acting for a user holds the session.
    const service: Principal = { id: 'svc', kind: 'service', role: 'service' };
    const held = await sessions.issue({
      protocolVersion: '2025-11-25',
      principalId: 'svc',
      server: 'billy',
    });
    expect(await problem({ 'mcp-session-id': held }, call, { ...principal, actor: service })).toBe(
      'ok',
    );
  });

  it.each([
    [
      'an unknown version',
      { 'mcp-protocol-version': '1999-01-01' },
      'unsupported_protocol_version',
    ],
    ['no Mcp-Method', { 'mcp-protocol-version': '2026-07-28' }, 'header_mismatch'],
    [
      'another Mcp-Method',
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list', 'mcp-name': 'echo' },
      'header_mismatch',
    ],
    [
      'no Mcp-Name',
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' },
      'header_mismatch',
    ],
    [
      'another Mcp-Name',
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'other' },
      'header_mismatch',
    ],
    [
      'matching headers (a session id means nothing here)',
      {
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'echo',
        'mcp-session-id': 'forged',
      },
      'ok',
    ],
  ])('%s → %s', async (_name, headers, code) => {
    expect(await problem(headers)).toBe(code);
  });

  it('lets initialize negotiate from any version', async () => {
    const initialize: ClientMessage = { kind: 'request', id: 1, method: 'initialize', params: {} };
    expect(
      await problem({ 'mcp-protocol-version': '1999-01-01', 'mcp-session-id': 'x' }, initialize),
    ).toBe('ok');
  });
});
