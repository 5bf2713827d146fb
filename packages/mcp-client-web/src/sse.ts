/**
 * One dispatched Server-Sent Event.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export interface ServerSentEvent {
  /** The `event` field, `'message'` when absent. */
  event: string;
  /** The `data` lines joined by `\n`. */
  data: string;
  /** The `id` field, when this event carried one. */
  id?: string;
  /** The `retry` field in milliseconds, when this event carried one. */
  retry?: number;
}

/** An incremental SSE parser: feed it decoded text chunks, it calls `onEvent` per event. */
export interface SseParser {
  /** Parses one chunk of decoded text; events complete in it are dispatched synchronously. */
  push(chunk: string): void;
}

/**
 * Creates an incremental SSE parser following the WHATWG event stream rules (any line ending,
 * comments, a single optional space after the colon, ids with NUL ignored). An event still
 * being assembled when the stream ends is dropped, as the standard says.
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;
  let hasFields = false;
  let skipLineFeed = false;

  const dispatch = () => {
    if (hasFields) {
      const next: ServerSentEvent = { event: event || 'message', data: data.join('\n') };
      if (id !== undefined) next.id = id;
      if (retry !== undefined) next.retry = retry;
      onEvent(next);
    }
    data = [];
    event = '';
    id = undefined;
    retry = undefined;
    hasFields = false;
  };

  const processLine = (line: string) => {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasFields = true;
    } else if (field === 'event') {
      event = value;
      hasFields = true;
    } else if (field === 'id') {
      if (!value.includes('\0')) id = value;
      hasFields = true;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) retry = Number(value);
      hasFields = true;
    }
  };

  return {
    push(chunk) {
      // A CR at the end of the previous chunk may be the first half of a CRLF pair.
      let text = chunk;
      if (skipLineFeed && text.startsWith('\n')) text = text.slice(1);
      skipLineFeed = false;
      buffer += text;
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        const character = buffer[index];
        if (character !== '\n' && character !== '\r') continue;
        processLine(buffer.slice(start, index));
        if (character === '\r') {
          if (index + 1 === buffer.length) skipLineFeed = true;
          else if (buffer[index + 1] === '\n') index++;
        }
        start = index + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
