/**
 * What a client can be asked mid-call — elicitation (form, URL) and sampling — as one short
 * key: the gateway keeps one upstream session per key, so an upstream sees exactly the
 * capabilities the calling client declared and no more.
 */

/** The server-to-client requests the gateway relays. */
export const relayedServerMethods: ReadonlySet<string> = new Set([
  'elicitation/create',
  'sampling/createMessage',
]);

/**
 * The interaction capabilities of a client as a key: `f` form elicitation, `u` URL
 * elicitation, `s` sampling, in that order; `''` when the client can be asked nothing.
 */
export type InteractionKey = string;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The key of a client's declared `capabilities` (an `initialize` param, or the 2026-07-28
 * `_meta` client capabilities). `elicitation: {}` means form mode only (2025-11-25).
 */
export function interactionKey(capabilities: unknown): InteractionKey {
  if (!isRecord(capabilities)) return '';
  let key = '';
  const elicitation = capabilities.elicitation;
  if (isRecord(elicitation)) {
    const modes = Object.keys(elicitation).filter((mode) => mode === 'form' || mode === 'url');
    if (modes.length === 0 || isRecord(elicitation.form)) key += 'f';
    if (isRecord(elicitation.url)) key += 'u';
  }
  if (isRecord(capabilities.sampling)) key += 's';
  return key;
}

/** The capabilities the gateway declares upstream for a key. */
export function capabilitiesOf(key: InteractionKey): Record<string, unknown> {
  const capabilities: Record<string, unknown> = {};
  if (key.includes('f') || key.includes('u')) {
    const elicitation: Record<string, unknown> = {};
    if (key.includes('f')) elicitation.form = {};
    if (key.includes('u')) elicitation.url = {};
    capabilities.elicitation = elicitation;
  }
  if (key.includes('s')) capabilities.sampling = {};
  return capabilities;
}

/** Whether a client with `key` may be sent `method` (with its params' elicitation `mode`). */
export function mayAsk(
  key: InteractionKey,
  method: string,
  params: Record<string, unknown> | undefined,
): boolean {
  if (method === 'sampling/createMessage') return key.includes('s');
  if (method !== 'elicitation/create') return false;
  return params?.mode === 'url' ? key.includes('u') : key.includes('f');
}
