import { describe, expect, it } from 'vitest';
import { createSseParser, type ServerSentEvent } from './sse';

function parse(chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('createSseParser', () => {
  it('parses fields, multi-line data, ids and retry', () => {
    expect(parse(['event: message\nid: 7\nretry: 250\ndata: a\ndata: b\n\n'])).toEqual([
      { event: 'message', data: 'a\nb', id: '7', retry: 250 },
    ]);
  });

  it('defaults the event type, strips one space only, and ignores comments and unknown fields', () => {
    expect(parse([': hello\nfoo: bar\ndata:  two spaces\n\n'])).toEqual([
      { event: 'message', data: ' two spaces' },
    ]);
  });

  it('handles CR, LF and CRLF line endings split across chunks', () => {
    expect(parse(['data: one\r', '\n\r', '\ndata: two\r\rdata: three\n', '\n'])).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
      { event: 'message', data: 'three' },
    ]);
  });

  it('keeps events split mid-line until the blank line arrives', () => {
    const events: ServerSentEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    parser.push('da');
    parser.push('ta: {"a"');
    expect(events).toEqual([]);
    parser.push(':1}\n');
    expect(events).toEqual([]);
    parser.push('\n');
    expect(events).toEqual([{ event: 'message', data: '{"a":1}' }]);
  });

  it('ignores invalid retry values and ids containing NUL', () => {
    expect(parse(['retry: soon\nid: a\0b\ndata: x\n\n'])).toEqual([
      { event: 'message', data: 'x' },
    ]);
  });

  it('dispatches an id-only event so the last event id can be tracked', () => {
    expect(parse(['id: e1\nretry: 500\ndata: \n\n'])).toEqual([
      { event: 'message', data: '', id: 'e1', retry: 500 },
    ]);
  });

  it('drops an unterminated event at the end of the stream', () => {
    expect(parse(['data: never finished'])).toEqual([]);
  });
});
