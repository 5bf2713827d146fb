import { describe, expect, it } from 'vitest';
import { classifyMessage } from './messages.js';

describe('classifyMessage', () => {
  it.each([
    [
      'the reply',
      { jsonrpc: '2.0', id: 7, result: { ok: true } },
      { kind: 'reply', reply: { result: { ok: true } } },
    ],
    [
      'a reply without an object result',
      { jsonrpc: '2.0', id: 7, result: 3 },
      { kind: 'reply', reply: { result: {} } },
    ],
    [
      'the upstream’s error',
      { jsonrpc: '2.0', id: 7, error: { code: -32602, message: 'bad', data: { x: 1 } } },
      { kind: 'reply', reply: { error: { code: -32602, message: 'bad', data: { x: 1 } } } },
    ],
    [
      'a malformed error',
      { jsonrpc: '2.0', id: 7, error: {} },
      { kind: 'reply', reply: { error: { code: -32603, message: 'Upstream error' } } },
    ],
    ['another request’s reply', { jsonrpc: '2.0', id: 8, result: {} }, { kind: 'other' }],
    [
      'a notification',
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
      {
        kind: 'notification',
        notification: { method: 'notifications/progress', params: { progress: 1 } },
      },
    ],
    [
      'a server request',
      { jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage' },
      { kind: 'request', request: { id: 'srv-1', method: 'sampling/createMessage' } },
    ],
    ['not an object', 'hello', { kind: 'other' }],
  ])('%s', (_name, value, expected) => {
    expect(classifyMessage(value, 7)).toEqual(expected);
  });
});
