/**
 * Long threads in Chromium: the stock `<AIAssistant>` with a stored thread of 100, 500 and 2,000
 * messages (every third answer a tool call with a table). Measured: time from creating the
 * controller to the painted transcript, DOM size, and long tasks (> 50 ms, the Long Tasks API)
 * while the thread opens, while typing a question and while a 400-word answer streams in.
 */
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describeMachine, machine } from './machine.js';
import { ms, record, table } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_THREADS ?? '100,500,2000').split(',').map(Number);
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium';
const QUESTION = 'find the invoices for Nordlys Rengøring from last month';
/** Loads per thread size: the open time is their median, the long tasks their worst. */
const repeats = Number(process.env.BENCH_THREAD_RUNS ?? 3);

interface Task {
  start: number;
  duration: number;
}

interface Row {
  messages: number;
  /** Controller created → transcript painted (the median run). */
  openMs: number;
  /** Every run's open time. */
  openRunsMs?: number[];
  renderedMessages: number;
  domNodes: number;
  openLongTasks: number;
  openLongestMs: number;
  typingLongTasks: number;
  typingLongestMs: number;
  streamingLongTasks: number;
  streamingLongestMs: number;
  /** The view followed the answer to its end. */
  followedToEnd: boolean;
}

const longest = (tasks: Task[]) => tasks.reduce((max, task) => Math.max(max, task.duration), 0);

async function bundle(directory: string): Promise<void> {
  await build({
    entryPoints: [join(here, 'long-thread', 'page.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: join(directory, 'page.js'),
    logLevel: 'warning',
  });
  await writeFile(
    join(directory, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long thread</title><style>html,body,#root{height:100%;margin:0}body{font-family:system-ui}</style></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>',
  );
}

/** Runs the benchmark and records it. */
export async function benchLongThread(): Promise<void> {
  const startedOn = machine();
  const directory = await mkdtemp(join(tmpdir(), 'tekup-bench-thread-'));
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = path === '/' || path === '/index.html' ? 'index.html' : path.slice(1);
    try {
      const body = await readFile(join(directory, file));
      response.writeHead(200, {
        'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    await bundle(directory);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // One throwaway load first: later loads find the bundle compiled (V8's code cache), as a
    // returning user's browser does, so the first measured size is not charged for it.
    {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/index.html?messages=10`);
      await page.waitForFunction(() =>
        Number.isFinite((window as never as { bench: { mountMs: number } }).bench?.mountMs),
      );
      await context.close();
    }
    const rows: Row[] = [];
    const measureOnce = async (messages: number): Promise<Row> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/index.html?messages=${messages}`);
      await page.waitForFunction(
        () => Number.isFinite((window as never as { bench: { mountMs: number } }).bench?.mountMs),
        undefined,
        { timeout: 60_000 },
      );
      const opened = await page.evaluate(() => {
        const bench = (
          window as never as {
            bench: {
              mountMs: number;
              rendered: number;
              openedFrom: number;
              tasksSince(from: number): Task[];
            };
          }
        ).bench;
        return {
          openMs: bench.mountMs,
          rendered: bench.rendered,
          domNodes: document.getElementsByTagName('*').length,
          tasks: bench.tasksSince(bench.openedFrom),
        };
      });

      const input = page.getByTestId('assistant-input');
      await input.click();
      const typingFrom = await page.evaluate(() => performance.now());
      await page.keyboard.type(QUESTION, { delay: 30 });
      const typing = await page.evaluate(
        (from) =>
          (window as never as { bench: { tasksSince(from: number): Task[] } }).bench.tasksSince(
            from,
          ),
        typingFrom,
      );

      const streamingFrom = await page.evaluate(() => performance.now());
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => {
          const bench = (window as never as { bench: { idle(): boolean } }).bench;
          const last = [...document.querySelectorAll('[data-testid="assistant-message"]')].at(-1);
          return bench.idle() && (last?.textContent?.length ?? 0) > 2000;
        },
        undefined,
        { timeout: 60_000 },
      );
      const streaming = await page.evaluate((from) => {
        const bench = (window as never as { bench: { tasksSince(from: number): Task[] } }).bench;
        const log = document.querySelector('[data-testid="assistant-messages"]') as HTMLElement;
        return {
          tasks: bench.tasksSince(from),
          followed: log.scrollHeight - log.scrollTop - log.clientHeight < 4,
        };
      }, streamingFrom);
      await context.close();

      return {
        messages,
        openMs: opened.openMs,
        renderedMessages: opened.rendered,
        domNodes: opened.domNodes,
        openLongTasks: opened.tasks.length,
        openLongestMs: longest(opened.tasks),
        typingLongTasks: typing.length,
        typingLongestMs: longest(typing),
        streamingLongTasks: streaming.tasks.length,
        streamingLongestMs: longest(streaming.tasks),
        followedToEnd: streaming.followed,
      };
    };
    for (const messages of sizes) {
      const runs: Row[] = [];
      for (let run = 0; run < repeats; run++) runs.push(await measureOnce(messages));
      const byOpen = [...runs].sort((a, b) => a.openMs - b.openMs);
      const median = byOpen[Math.floor(byOpen.length / 2)] as Row;
      const row: Row = {
        ...median,
        openRunsMs: runs.map((item) => item.openMs),
        // the worst run for the long tasks, so one bad run is not hidden by the median
        openLongTasks: Math.max(...runs.map((item) => item.openLongTasks)),
        openLongestMs: Math.max(...runs.map((item) => item.openLongestMs)),
        typingLongTasks: Math.max(...runs.map((item) => item.typingLongTasks)),
        typingLongestMs: Math.max(...runs.map((item) => item.typingLongestMs)),
        streamingLongTasks: Math.max(...runs.map((item) => item.streamingLongTasks)),
        streamingLongestMs: Math.max(...runs.map((item) => item.streamingLongestMs)),
        followedToEnd: runs.every((item) => item.followedToEnd),
      };
      rows.push(row);
      console.log(
        `${messages} messages: open ${ms(row.openMs)} ms (${row.renderedMessages} rendered, ${row.domNodes} nodes, long tasks ${row.openLongTasks}, longest ${ms(row.openLongestMs)} ms); typing: ${row.typingLongTasks} long tasks (longest ${ms(row.typingLongestMs)} ms); streaming: ${row.streamingLongTasks} (longest ${ms(row.streamingLongestMs)} ms), followed ${row.followedToEnd}`,
      );
    }
    const markdown = [
      `Latest run: ${describeMachine(startedOn)}; Chromium ${browser.version()} headless, 1280×900. A long task is one over 50 ms (Long Tasks API); "open" runs from creating the controller (reading the stored thread included) to the frame after the transcript's last message is shown; each size loads ${repeats} times in a fresh context after one throwaway load (the bundle then comes from V8's code cache, as for a returning user): the median open time, the worst run's long tasks.`,
      '',
      table(
        [
          'messages',
          'open ms',
          'rendered / DOM nodes',
          'long tasks opening (longest ms)',
          'typing (longest ms)',
          'streaming 400 words (longest ms)',
          'followed the answer',
        ],
        rows.map((row) => [
          row.messages,
          `${ms(row.openMs)} (${(row.openRunsMs ?? []).map(ms).join(', ')})`,
          `${row.renderedMessages} / ${row.domNodes}`,
          `${row.openLongTasks} (${ms(row.openLongestMs)})`,
          `${row.typingLongTasks} (${ms(row.typingLongestMs)})`,
          `${row.streamingLongTasks} (${ms(row.streamingLongestMs)})`,
          row.followedToEnd ? 'yes' : 'no',
        ]),
      ),
    ].join('\n');
    await record(
      'long-thread',
      { machine: startedOn, chromium: browser.version(), rows },
      markdown,
    );
    console.log(`\n${markdown}\n`);
  } finally {
    await browser.close();
    server.close();
    await rm(directory, { recursive: true, force: true });
  }
}
