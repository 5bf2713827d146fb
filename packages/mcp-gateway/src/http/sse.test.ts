import { expect, it } from 'vitest';
import { parseSse } from './sse.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

it('parses events split across chunks, CRLF, comments and multi-line data; drops an unterminated tail (EventSource rule)', async () => {
  const events = [];
  for await (const event of parseSse(
    streamOf(
      ': hi\r\nid: 1\r\nevent: message\r\ndata: {"a"',
      ':1}\r\n\r\ndata: x\ndata: y\n\n',
      'data: tail',
    ),
  )) {
    events.push(event);
  }
  expect(events).toEqual([
    { event: 'message', data: '{"a":1}', id: '1' },
    { event: 'message', data: 'x\ny', id: '1' },
  ]);
});
