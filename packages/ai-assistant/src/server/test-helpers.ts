import type { UIMessage, UIMessageChunk } from 'ai';
import { DEMO_TOOL_SPECS } from '../model/test-tools';

export { DEMO_TOOL_SPECS };

/** Reads a UI message stream response (SSE) into its chunks. */
export async function readChunks(response: Response): Promise<UIMessageChunk[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
    .map((event) => JSON.parse(event.slice('data: '.length)) as UIMessageChunk);
}

/** The text of all text deltas in a chunk list. */
export function textOf(chunks: UIMessageChunk[]): string {
  return chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('');
}

export function userMessage(text: string, id = 'u1'): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

export function chatRequest(body: unknown, init: RequestInit = {}): Request {
  return new Request('http://127.0.0.1/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

export const INVOICES = [
  { id: 'INV-1001', customer: 'Acme ApS', total: 12500, currency: 'DKK', status: 'paid' },
  { id: 'INV-1002', customer: 'Acme ApS', total: 4250, currency: 'DKK', status: 'paid' },
  { id: 'INV-1003', customer: 'Acme ApS', total: 800, currency: 'DKK', status: 'paid' },
];
