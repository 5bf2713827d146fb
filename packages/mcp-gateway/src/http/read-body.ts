/**
 * Reads a request body while enforcing a byte limit on the stream itself, so an
 * oversized body is refused without being buffered whole.
 */
import { GatewayError } from '../errors.js';

/**
 * Reads `request`'s body as UTF-8 text, at most `limit` bytes.
 *
 * @throws GatewayError `payload_too_large` as soon as the limit is crossed.
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    throw tooLarge(limit);
  }
  const body = request.body;
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(joined);
}

const decoder = new TextDecoder();

function tooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `Request body exceeds ${limit} bytes`, {
    data: { limit },
  });
}
