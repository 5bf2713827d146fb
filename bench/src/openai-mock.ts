/**
 * A local OpenAI-compatible chat-completions server for the token benchmark. It counts the input
 * tokens of every request with the `o200k_base` encoding (gpt-4o's): messages and tool
 * definitions as serialized JSON, plus OpenAI's few tokens of framing per message. It plays a
 * model that knows, per question, the tool call the reference answer made: it calls that tool
 * when it is offered, asks `tool_search` for it (by the words of its name) when it is not, and
 * answers in a sentence after a tool result.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

interface ChatBody {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ type: 'function'; function: { name: string } }>;
}

/** The call the reference answer made for a question (or none). */
export interface ExpectedCall {
  tool: string;
  input: unknown;
}

/** One model request as the mock saw it. */
export interface SeenRequest {
  question: string;
  inputTokens: number;
  toolTokens: number;
  tools: string[];
  /** What the mock answered: a tool's name, or `text`. */
  reply: string;
}

const text = (content: ChatMessage['content']): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');

/** Input tokens of a request: each message's content and calls, every tool definition. */
function countTokens(body: ChatBody): { total: number; tools: number } {
  let total = 3;
  for (const message of body.messages) {
    total += 4 + encode(text(message.content)).length;
    if (message.tool_calls) total += encode(JSON.stringify(message.tool_calls)).length;
  }
  const tools = body.tools?.length ? encode(JSON.stringify(body.tools)).length : 0;
  return { total: total + tools, tools };
}

/** The question a request belongs to: its last user message. */
function questionOf(body: ChatBody): string {
  for (let index = body.messages.length - 1; index >= 0; index--) {
    const message = body.messages[index];
    if (message?.role === 'user') return text(message.content).trim();
  }
  return '';
}

/** Starts the mock; `expected` maps each question to its reference call. */
export async function startOpenAiMock(expected: Map<string, ExpectedCall | undefined>): Promise<{
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      raw += chunk;
    });
    request.on('end', () => {
      // Only chat completions: embeddings (the vault's) get a 404 and fall back to local search.
      if (!request.url?.endsWith('/chat/completions')) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":{"message":"not served by this mock"}}');
        return;
      }
      const body = JSON.parse(raw) as ChatBody;
      const question = questionOf(body);
      const offered = new Set(body.tools?.map((tool) => tool.function.name));
      const last = body.messages.at(-1);
      const goal = expected.get(question);
      const searchedBefore = body.messages.some((message) =>
        message.tool_calls?.some((call) => call.function.name === 'tool_search'),
      );
      let call: { name: string; input: unknown } | undefined;
      if (goal && (last?.role === 'user' || last?.tool_call_id?.startsWith('search_'))) {
        if (offered.has(goal.tool)) call = { name: goal.tool, input: goal.input };
        else if (offered.has('tool_search') && !searchedBefore) {
          const words = goal.tool.split('__').at(-1)?.replaceAll('_', ' ') ?? goal.tool;
          call = { name: 'tool_search', input: { query: words } };
        }
      }
      const counted = countTokens(body);
      seen.push({
        question,
        inputTokens: counted.total,
        toolTokens: counted.tools,
        tools: [...offered],
        reply: call?.name ?? 'text',
      });
      const base = {
        id: `chatcmpl-${seen.length}`,
        object: 'chat.completion.chunk',
        created: 1,
        model: body.model,
      };
      const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (call) {
        const id = `${call.name === 'tool_search' ? 'search' : 'call'}_${seen.length}`;
        send({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                content: null,
                tool_calls: [
                  {
                    index: 0,
                    id,
                    type: 'function',
                    function: { name: call.name, arguments: JSON.stringify(call.input) },
                  },
                ],
              },
              finish_reason: null,
            },
          ],
        });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
      } else {
        const answer =
          last?.role === 'tool'
            ? `Done: ${text(last.content).slice(0, 60)}`
            : 'I cannot help with that here.';
        send({
          ...base,
          choices: [
            { index: 0, delta: { role: 'assistant', content: answer }, finish_reason: null },
          ],
        });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      }
      send({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: counted.total,
          completion_tokens: 20,
          total_tokens: counted.total + 20,
        },
      });
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
