/**
 * Server-Sent Events: an incremental parser for upstream streams and a writer
 * for client streams.
 */

/** One SSE event. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Parses an SSE byte stream into events (per the WHATWG EventSource rules that matter here:
 * `data`, `event`, `id`, comments, CRLF or LF line ends).
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const textDecoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += textDecoder.decode(value, { stream: true });
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        const width = buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? 2 : 1;
        buffer = buffer.slice(newline + width);
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id };
          data = [];
          event = '';
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          let fieldValue = colon === -1 ? '' : line.slice(colon + 1);
          if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
          if (field === 'data') data.push(fieldValue);
          else if (field === 'event') event = fieldValue;
          else if (field === 'id') id = fieldValue;
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
    }
    // An event not terminated by a blank line before end of stream is discarded (WHATWG).
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

const encoder = new TextEncoder();

/** A client-facing SSE stream that JSON-RPC messages are written to. */
export interface SseWriter {
  readonly stream: ReadableStream<Uint8Array>;
  write(message: unknown): void;
  close(): void;
}

/** Creates an SSE writer; writes after `close` (or after the client left) are dropped. */
export function createSseWriter(onCancel?: () => void): SseWriter {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      closed = true;
      onCancel?.();
    },
  });
  return {
    stream,
    write(message) {
      if (closed || controller === undefined) return;
      controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
    },
    close() {
      if (closed) return;
      closed = true;
      controller?.close();
    },
  };
}
