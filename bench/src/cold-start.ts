/**
 * Cold start of the dashboard on its embedded defaults: from `node server.mjs` to listening, to
 * ready (`/api/ready`), and a first user's first answer after that — sign in, the assistant page,
 * the tool lists, one question answered with a tool call through the gateway front — with a fresh
 * data directory and then restarted on the existing one. The same conversation once more on the
 * warm server is the yardstick.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerOf, conversation } from './conversation.js';
import { signIn, withDashboard } from './dashboard.js';
import { describeMachine, machine } from './machine.js';
import { assertBuilt } from './paths.js';
import { ms, record, table } from './report.js';

const QUESTION = 'Find invoices for Nordlys Rengøring';

interface Conversation {
  signInMs: number;
  pageMs: number;
  toolsMs: number;
  answerMs: number;
  totalMs: number;
}

async function converse(base: string): Promise<Conversation> {
  const began = performance.now();
  const cookie = await signIn(base);
  const signedIn = performance.now();
  const page = await fetch(`${base}/`, { headers: { cookie } });
  await page.text();
  if (!page.ok) throw new Error(`the assistant page answered ${page.status}`);
  const paged = performance.now();
  const assistant = conversation(base, cookie);
  await assistant.loadTools();
  const listed = performance.now();
  const answer = await answerOf(assistant, () => assistant.send(QUESTION));
  const answered = performance.now();
  assistant.destroy();
  if (!/invoice/i.test(answer)) throw new Error(`unexpected answer: ${answer.slice(0, 200)}`);
  return {
    signInMs: signedIn - began,
    pageMs: paged - signedIn,
    toolsMs: listed - paged,
    answerMs: answered - listed,
    totalMs: answered - began,
  };
}

interface Start {
  kind: 'fresh data' | 'existing data';
  listenMs: number;
  readyMs: number;
  first: Conversation;
  warm: Conversation;
  /** The server's own account of its start (the "dashboard ready in …" line). */
  log: string;
}

function start(kind: Start['kind'], dataDir: string): Promise<Start> {
  return withDashboard(dataDir, {}, async ({ base, server, liveMs, readyMs }) => {
    const first = await converse(base);
    const warm = await converse(base);
    const log = /dashboard ready in [^\n]*/.exec(server.output())?.[0] ?? '';
    console.log(
      `${kind}: listening ${ms(liveMs)} ms, ready ${ms(readyMs)} ms, first answer ${ms(first.totalMs)} ms after ready (warm ${ms(warm.totalMs)} ms) — ${log}`,
    );
    return { kind, listenMs: liveMs, readyMs, first, warm, log };
  });
}

/** Runs the cold starts and records them. */
export async function benchColdStart(): Promise<void> {
  assertBuilt();
  const startedOn = machine();
  const dataDir = await mkdtemp(join(tmpdir(), 'tekup-bench-cold-'));
  try {
    const starts = [
      await start('fresh data', dataDir),
      await start('existing data', dataDir),
      await start('existing data', dataDir),
    ];
    const markdown = [
      `Latest run: ${describeMachine(startedOn)}. Times from \`node server.mjs\`; the conversation starts when \`/api/ready\` answers 200 (sign-in, the assistant page, the six tool lists, "${QUESTION}" answered with a tool call through the gateway front, offline model).`,
      '',
      table(
        [
          'start',
          'listening ms',
          'ready ms',
          'first answer after ready ms',
          '… sign-in / page / tools / answer',
          'same, warm ms',
        ],
        starts.map((run) => [
          run.kind,
          ms(run.listenMs),
          ms(run.readyMs),
          ms(run.first.totalMs),
          [run.first.signInMs, run.first.pageMs, run.first.toolsMs, run.first.answerMs]
            .map(ms)
            .join(' / '),
          ms(run.warm.totalMs),
        ]),
      ),
      '',
      ...starts.map((run) => `- ${run.kind}: \`${run.log}\``),
    ].join('\n');
    await record('cold-start', { machine: startedOn, starts }, markdown);
    console.log(`\n${markdown}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
