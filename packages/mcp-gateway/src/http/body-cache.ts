/**
 * Lets a server adapter read a JSON response body the gateway built from a string without
 * draining the Response's stream (a measurable cost per request in Node). Adapters that do
 * not know about it just read the stream as usual.
 */
const bodies = new WeakMap<Response, string>();

/** A JSON Response whose body text stays retrievable with {@link peekTextBody}. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  bodies.set(response, text);
  return response;
}

/** The body text of a Response made by {@link textResponse}, or undefined. */
export function peekTextBody(response: Response): string | undefined {
  return bodies.get(response);
}
