/**
 * Prompt tokens per turn over twenty typical requests with all six servers, through the
 * dashboard's real chat route and the assistant's own controller:
 * 1. the offline model answers each request with every tool: the reference call per request;
 * 2. an OpenAI-compatible model (the counting mock) gets every tool every turn (`TEKUP_TOOL_SEARCH=off`);
 * 3. the same with the tool search on (the default).
 * A turn's tokens are the input tokens of all its model calls (the call, a search if one was
 * needed, the answer after the tool result). A request is answered as well as the reference when
 * the model reaches the reference's tool with the same input.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NAMES } from '@tekup/demo-servers/manifest';
import { conversation } from './conversation.js';
import { signIn, withDashboard } from './dashboard.js';
import { describeMachine, machine } from './machine.js';
import { type ExpectedCall, startOpenAiMock } from './openai-mock.js';
import { assertBuilt } from './paths.js';
import { record, table } from './report.js';

/** What users ask most, in English and Danish, across the six servers. */
const REQUESTS = [
  'Find invoices for Nordlys Rengøring',
  'Vis ubetalte fakturaer',
  'Check my calendar tomorrow',
  'Which customers do we have?',
  'Hvilke produkter sælger vi?',
  'Show invoice 1040',
  'How do I set up payment terms for a customer?',
  'Hvad er moms, og hvordan indberetter jeg den?',
  'What tables are in the database?',
  'Top 5 customers by revenue this year',
  'Hvilke aftaler har jeg i næste uge?',
  'Search the vault for deployment notes',
  'Where is the rate limiter implemented?',
  'Create an invoice for Lars Nielsen for 3 hours of window cleaning',
  'Opret en ny kunde: Hansen Byg ApS',
  'Record a payment of 5000 kr on invoice 1041',
  'Approve invoice 1042',
  'Book a cleaning at Nordlys on Friday at 10',
  'Show overdue invoices',
  'Find documents about GDPR',
] as const;

interface Turn {
  call: ExpectedCall | undefined;
  answer: string;
}

/** Sends one request in a fresh thread and waits for its end, declining any approval. */
async function turn(base: string, cookie: string, question: string): Promise<Turn> {
  const assistant = conversation(base, cookie, SERVER_NAMES);
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        const state = assistant.getSnapshot();
        for (const id of Object.keys(state.approvals)) assistant.reject(id, 'benchmark');
        if (state.error) {
          reject(new Error(`${question}: ${state.error.message}`));
          return;
        }
        const last = state.messages.at(-1);
        const running = Object.values(state.calls).some((call) => call.phase === 'running');
        const hasText =
          last?.role === 'assistant' &&
          last.parts.some((part) => part.type === 'text' && part.text);
        if (
          state.status === 'ready' &&
          !running &&
          Object.keys(state.approvals).length === 0 &&
          hasText
        ) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = assistant.subscribe(check);
      assistant.send(question).catch(reject);
    });
    const messages = assistant.getSnapshot().messages;
    let call: ExpectedCall | undefined;
    for (const message of messages) {
      for (const part of message.parts) {
        if (!call && part.type.startsWith('tool-') && 'input' in part) {
          call = { tool: part.type.slice(5), input: (part as { input: unknown }).input };
        }
      }
    }
    const last = messages.at(-1);
    const answer = (last?.parts ?? [])
      .filter((part) => part.type === 'text')
      .map((part) => (part as { text: string }).text)
      .join('');
    return { call, answer };
  } finally {
    assistant.destroy();
  }
}

/** The dashboard with limits the benchmark cannot reach and the demo clock pinned. */
function onDashboard<T>(
  dataDir: string,
  env: Record<string, string>,
  step: (base: string, cookie: string) => Promise<T>,
): Promise<T> {
  return withDashboard(
    dataDir,
    {
      env: {
        TEKUP_DEMO_NOW: '2026-06-10T09:00:00.000Z',
        TEKUP_CHAT_RATE_PER_MINUTE: '100000',
        TEKUP_DAILY_TOKEN_QUOTA: '100000000',
        TEKUP_GATEWAY_RATE_PER_MINUTE: '100000',
        ...env,
      },
    },
    async ({ base }) => step(base, await signIn(base)),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Runs the three passes and records them. */
export async function benchPromptTokens(): Promise<void> {
  assertBuilt();
  const startedOn = machine();
  const expected = new Map<string, ExpectedCall | undefined>();
  const mock = await startOpenAiMock(expected);
  const dataDir = await mkdtemp(join(tmpdir(), 'tekup-bench-tokens-'));
  try {
    const reference = await onDashboard(join(dataDir, 'offline'), {}, async (base, cookie) => {
      const turns: Turn[] = [];
      for (const question of REQUESTS) turns.push(await turn(base, cookie, question));
      return turns;
    });
    for (const [index, question] of REQUESTS.entries())
      expected.set(question, reference[index]?.call);

    const pass = async (search: 'on' | 'off') =>
      onDashboard(
        join(dataDir, search),
        {
          OPENAI_API_KEY: 'sk-bench',
          OPENAI_BASE_URL: mock.url,
          OPENAI_MODEL: 'gpt-4o-mini',
          TEKUP_TOOL_SEARCH: search,
        },
        async (base, cookie) => {
          const rows = [];
          for (const question of REQUESTS) {
            const from = mock.seen.length;
            const result = await turn(base, cookie, question);
            const requests = mock.seen.slice(from);
            rows.push({
              question,
              tokens: requests.reduce((sum, request) => sum + request.inputTokens, 0),
              toolTokens: requests.reduce((sum, request) => sum + request.toolTokens, 0),
              modelCalls: requests.length,
              searched: requests.some((request) => request.reply === 'tool_search'),
              toolsOffered: requests[0]?.tools.length ?? 0,
              call: result.call,
            });
          }
          return rows;
        },
      );
    const all = await pass('off');
    const lean = await pass('on');

    const same = (a: ExpectedCall | undefined, b: ExpectedCall | undefined) =>
      a?.tool === b?.tool && JSON.stringify(a?.input) === JSON.stringify(b?.input);
    const rows = REQUESTS.map((question, index) => {
      const ref = reference[index];
      const before = all[index];
      const after = lean[index];
      return {
        question,
        reference: ref?.call?.tool ?? '(answered without a tool)',
        allTokens: before?.tokens ?? 0,
        leanTokens: after?.tokens ?? 0,
        leanToolsOffered: after?.toolsOffered ?? 0,
        searched: after?.searched ?? false,
        asBefore: same(before?.call, ref?.call),
        asReference: same(after?.call, ref?.call),
      };
    });
    const summary = {
      medianAll: median(rows.map((row) => row.allTokens)),
      medianLean: median(rows.map((row) => row.leanTokens)),
      searches: rows.filter((row) => row.searched).length,
      answeredAsReference: rows.filter((row) => row.asReference).length,
    };
    const markdown = [
      `Latest run: ${describeMachine(startedOn)}. Input tokens counted by the OpenAI-compatible mock with \`o200k_base\` (gpt-4o's encoding); a turn is every model call of one request.`,
      '',
      `Median input tokens per turn: **${summary.medianAll} with every tool → ${summary.medianLean} with the tool search** (${(summary.medianLean / summary.medianAll).toFixed(2)}×); ${summary.searches} of ${rows.length} requests needed a search step; ${summary.answeredAsReference} of ${rows.length} reached the reference answer's tool call.`,
      '',
      table(
        [
          'request',
          'reference (offline model, every tool)',
          'tokens, every tool',
          'tokens, tool search',
          'tools shown',
          'searched',
          'same call',
        ],
        rows.map((row) => [
          row.question,
          `\`${row.reference}\``,
          row.allTokens,
          row.leanTokens,
          row.leanToolsOffered,
          row.searched ? 'yes' : '',
          row.asReference ? 'yes' : '**no**',
        ]),
      ),
    ].join('\n');
    await record('prompt-tokens', { machine: startedOn, summary, rows }, markdown);
    console.log(`\n${markdown}\n`);
  } finally {
    await mock.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
