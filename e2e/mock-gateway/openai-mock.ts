/**
 * A local OpenAI-compatible chat-completions endpoint for the e2e OpenAI path. It streams a real
 * tool call (`list_invoices` for the customer named after "for") on a user turn and a short
 * answer built from the tool result on the next turn, in the SSE shape OpenAI servers use.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';

interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: unknown[];
}

interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ function: { name: string } }>;
  stream?: boolean;
}

function text(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

function readJson(request: IncomingMessage): Promise<ChatRequest> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(body) as ChatRequest);
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

/** Starts the mock on `port`; `requests` records every chat request for assertions. */
export function startOpenAiMock(
  port: number,
): Promise<{ server: Server; requests: ChatRequest[] }> {
  const requests: ChatRequest[] = [];
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"message":"not found"}}');
      return;
    }
    if (request.headers.authorization !== 'Bearer sk-e2e-local-mock') {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":{"message":"bad key"}}');
      return;
    }
    const body = await readJson(request);
    requests.push(body);
    const last = body.messages[body.messages.length - 1];
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const tool = body.tools?.find((entry) => entry.function.name.endsWith('list_invoices'))
      ?.function.name;
    if (last?.role === 'user' && tool) {
      const customer = /for\s+(.+?)[.?!]*$/i.exec(text(last.content))?.[1] ?? '';
      const args = JSON.stringify({ customer });
      response.write(chunk({ role: 'assistant', content: null }));
      response.write(
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_e2e_1',
              type: 'function',
              function: { name: tool, arguments: '' },
            },
          ],
        }),
      );
      // Arguments arrive in pieces, as real servers stream them.
      for (let start = 0; start < args.length; start += 8) {
        response.write(
          chunk({
            tool_calls: [{ index: 0, function: { arguments: args.slice(start, start + 8) } }],
          }),
        );
      }
      response.write(chunk({}, 'tool_calls'));
    } else {
      const result = last?.role === 'tool' ? text(last.content) : '';
      let count = 0;
      try {
        const parsed = JSON.parse(result) as {
          structuredContent?: { count?: number };
          count?: number;
        };
        count = parsed.structuredContent?.count ?? parsed.count ?? 0;
      } catch {
        count = (result.match(/"number"/g) ?? []).length;
      }
      const answer = `Mock OpenAI says: I found ${count} invoices.`;
      response.write(chunk({ role: 'assistant', content: '' }));
      for (const word of answer.split(/(?<= )/)) response.write(chunk({ content: word }));
      response.write(chunk({}, 'stop'));
    }
    response.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 } })}\n\n`,
    );
    response.end('data: [DONE]\n\n');
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ server, requests })),
  );
}
