/** Web-crypto hashing and canonical JSON shared by the policy stages (no Node built-ins). */

const encoder = new TextEncoder();

interface NodeHash {
  createHash(algorithm: 'sha256'): {
    update(
      text: string,
      encoding: 'utf8',
    ): { digest(encoding: 'hex'): string } & { digest(): Uint8Array };
  };
}

// Node's webcrypto digest hops to the thread pool (~40 µs); its synchronous
// hash is ~1 µs. `getBuiltinModule` (Node ≥ 20.16) reaches it without a
// static Node import, so this file stays Web-only.
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('crypto') as NodeHash | undefined;

/** Lower-case hex SHA-256 of a UTF-8 string: Node's hash when present, else `crypto.subtle`. */
export async function sha256Hex(text: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return toHex(new Uint8Array(digest));
}

/** Raw SHA-256 of a UTF-8 string. */
export async function sha256Bytes(text: string): Promise<Uint8Array> {
  if (nodeCrypto) {
    const digest = nodeCrypto.createHash('sha256').update(text, 'utf8').digest();
    // A plain view of Node's Buffer, so callers see one type whatever the runtime.
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Bytes of a hex string (two characters per byte). */
export function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The deepest structure {@link canonicalJson} walks (callers' JSON is bounded far below it). */
const maxCanonicalDepth = 256;

/**
 * JSON with object keys sorted at every depth, so equal arguments give equal
 * strings whatever order the client wrote them in. `undefined` members are
 * dropped, as `JSON.stringify` does. Written out key by key (a key named
 * `__proto__` stays a key), and bounded in depth.
 *
 * @throws RangeError past 256 levels (the gateway refuses such input long before).
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0) ?? 'null';
}

function write(value: unknown, depth: number): string | undefined {
  if (depth > maxCanonicalDepth) throw new RangeError('canonicalJson: structure too deep');
  if (value === null || typeof value !== 'object' || value instanceof Date) {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => write(item, depth + 1) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = write((value as Record<string, unknown>)[key], depth + 1);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Compares two equal-length byte arrays in time independent of where they differ.
 * Used on SHA-256 digests only (fixed length), so the length check leaks nothing.
 */
export function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}
