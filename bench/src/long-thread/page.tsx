/**
 * The page the long-thread benchmark loads in Chromium: the stock `<AIAssistant>` over a stored
 * thread of `?messages=N` messages (localStorage, as a returning user has it), a gateway client
 * that answers at once, and a chat route that streams a long answer word by word. It records
 * long tasks and exposes the timings on `window.bench`.
 */
import {
  AIAssistant,
  type AssistantMessage,
  createAssistantController,
  createLocalStorageThreadStorage,
} from '@tekup/ai-assistant';
import { createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import { createRoot } from 'react-dom/client';

interface LongTask {
  start: number;
  duration: number;
}

const longTasks: LongTask[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });

const count = Number(new URLSearchParams(location.search).get('messages') ?? 500);
const words =
  'Fakturaen til Nordlys Rengøring ApS er betalt, og moms for kvartalet er opgjort'.split(' ');

const invoiceRows = Array.from({ length: 6 }, (_, row) => ({
  id: `inv_${row}`,
  number: String(1040 + row),
  customer: 'Nordlys Rengøring ApS',
  total: 4200 + row * 310.5,
  status: row % 2 ? 'paid' : 'approved',
}));

/** A realistic thread: questions, Markdown answers, and every third answer a tool call with rows. */
function thread(size: number): AssistantMessage[] {
  return Array.from({ length: size }, (_, index): AssistantMessage => {
    if (index % 2 === 0) {
      return {
        id: `u${index}`,
        role: 'user',
        parts: [
          {
            type: 'text',
            text: `Question ${index}: find the invoices for Nordlys Rengøring from last month`,
          },
        ],
      };
    }
    const text = `Here is what I found for **question ${index - 1}**:\n\n- ${words.slice(0, 8).join(' ')}\n- Total incl. VAT: 28.431,25 kr.\n\n${words.join(' ')}.`;
    const parts: AssistantMessage['parts'] = [];
    if (index % 6 === 1) {
      parts.push({
        type: 'tool-billy__list_invoices',
        toolCallId: `call${index}`,
        state: 'output-available',
        input: { customer: 'Nordlys', limit: 6 },
        output: {
          content: [{ type: 'text', text: '6 invoices' }],
          structuredContent: { invoices: invoiceRows },
        },
      } as AssistantMessage['parts'][number]);
    }
    parts.push({ type: 'text', text });
    return { id: `a${index}`, role: 'assistant', parts };
  });
}

const storage = createLocalStorageThreadStorage();
storage.save('bench', thread(count));

/** The chat route: a 400-word answer, a word every 10 ms (a fast model). */
const chatFetch: typeof fetch = async () =>
  createUIMessageStreamResponse({
    stream: createUIMessageStream({
      async execute({ writer }) {
        writer.write({ type: 'text-start', id: 'answer' });
        for (let index = 0; index < 400; index++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          const word = words[index % words.length] as string;
          writer.write({
            type: 'text-delta',
            id: 'answer',
            delta: index % 40 === 39 ? `${word}.\n\n` : `${word} `,
          });
        }
        writer.write({ type: 'text-end', id: 'answer' });
      },
    }),
  });

const tools = [
  {
    name: 'billy__list_invoices',
    server: 'billy',
    tool: 'list_invoices',
    description: 'List invoices',
    inputSchema: { type: 'object' as const, properties: {} },
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: false },
  },
];

const mark = performance.now();
const controller = createAssistantController({
  servers: ['billy'],
  client: {
    listTools: async () => ({ tools, failures: [] }),
    callTool: async () => ({ content: [{ type: 'text', text: 'ok' }] }),
  },
  api: '/api/chat',
  fetch: chatFetch,
  storage: createLocalStorageThreadStorage(),
  threadKey: 'bench',
});

const controllerMs = performance.now() - mark;
const root = document.getElementById('root') as HTMLElement;
createRoot(root).render(<AIAssistant controller={controller} title="Long thread" />);

const bench = {
  messages: count,
  longTasks,
  controllerMs,
  /** When the controller was created: where "open" starts. */
  openedFrom: mark,
  mountMs: Number.NaN,
  rendered: 0,
  /** Long tasks that started at or after `from` (performance.now()). */
  tasksSince(from: number): LongTask[] {
    return longTasks.filter((task) => task.start >= from);
  },
  now: () => performance.now(),
  idle: () => controller.getSnapshot().status === 'ready',
  answerLength: () => {
    const last = controller.getSnapshot().messages.at(-1);
    return last?.role === 'assistant'
      ? last.parts.filter((part) => part.type === 'text').length
      : 0;
  },
};
(window as unknown as { bench: typeof bench }).bench = bench;

// Painted: the thread's last answer is in the DOM (React committed it), and the frame after that
// commit has been drawn.
const committed = new MutationObserver(() => {
  if (!root.textContent?.includes(`found for question ${count - 2}:`)) return;
  committed.disconnect();
  requestAnimationFrame(() =>
    setTimeout(() => {
      bench.mountMs = performance.now() - mark;
      bench.rendered = document.querySelectorAll('[data-testid="assistant-message"]').length;
    }, 0),
  );
});
committed.observe(root, { childList: true, subtree: true, characterData: true });
