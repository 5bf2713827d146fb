import { describe, expect, it } from 'vitest';
import { parseFleetArguments, runFleetCli } from './fleet-cli.js';

describe('tekup-demo-fleet arguments', () => {
  it('parses servers, instances and ports', () => {
    expect(
      parseFleetArguments([
        '--servers',
        'billy,calendar',
        '--instances',
        'billy=2',
        '--base-port',
        '0',
      ]),
    ).toEqual({
      servers: ['billy', 'calendar'],
      instances: { billy: 2 },
      basePort: 0,
    });
    expect(parseFleetArguments(['--instances=billy=2,vault=3', '--stateless', '--seed=7'])).toEqual(
      {
        instances: { billy: 2, vault: 3 },
        stateless: true,
        seed: 7,
      },
    );
    expect(parseFleetArguments(['--help'])).toBe('help');
  });

  it('names the bad flag', () => {
    expect(() => parseFleetArguments(['--servers', 'billy,nope'])).toThrow(
      /^--servers: unknown server "nope"/,
    );
    expect(() => parseFleetArguments(['--instances', 'billy=0'])).toThrow(/^--instances: /);
    expect(() => parseFleetArguments(['--base-port', 'abc'])).toThrow(/^--base-port: /);
    expect(() => parseFleetArguments(['--base-port'])).toThrow(/^--base-port: missing value/);
    expect(() => parseFleetArguments(['--verbose'])).toThrow(/unknown option "--verbose"/);
  });

  it('prints the URLs and stops cleanly when signalled', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let ready: () => void = () => undefined;
    const printed = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const run = runFleetCli(
      ['--servers', 'calendar,knowledge', '--instances', 'calendar=2', '--base-port', '0'],
      {
        write: (line) => {
          lines.push(line);
          if (line.startsWith('Ready')) ready();
        },
        signal: controller.signal,
      },
    );
    await printed;
    const urls = lines.filter((line) => line.includes('http://127.0.0.1:'));
    expect(urls).toHaveLength(3);
    const url = urls[0]?.split(/\s+/)[1] ?? '';
    expect((await fetch(url.replace('/mcp', '/health'))).status).toBe(200);
    controller.abort();
    expect(await run).toBe(0);
    expect(lines.at(-1)).toBe('Stopped.');
    await expect(fetch(url.replace('/mcp', '/health'))).rejects.toThrow();
    const code = await runFleetCli(['--servers', 'x'], {
      write: () => undefined,
      signal: controller.signal,
    });
    expect(code).toBe(2);
  });
});
