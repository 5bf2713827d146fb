import { describe, expect, it } from 'vitest';
import { followUntilAborted } from './abortable';

describe('followUntilAborted', () => {
  it('settles as the shared promise does while the signal is quiet', async () => {
    const signal = new AbortController().signal;
    await expect(
      followUntilAborted(Promise.resolve(7), signal, () => new Error('x')),
    ).resolves.toBe(7);
    await expect(
      followUntilAborted(Promise.reject(new Error('shared failed')), signal, () => new Error('x')),
    ).rejects.toThrow('shared failed');
  });

  it('lets one follower leave without touching the shared work or the others', async () => {
    let finish: (value: string) => void = () => {};
    const shared = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const leaving = new AbortController();
    const left = followUntilAborted(shared, leaving.signal, () => new Error('left'));
    const staying = followUntilAborted(shared, new AbortController().signal, () => new Error('no'));
    leaving.abort();
    await expect(left).rejects.toThrow('left');
    finish('done');
    await expect(staying).resolves.toBe('done');
    await expect(shared).resolves.toBe('done');
  });

  it('refuses at once on a signal that has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      followUntilAborted(new Promise(() => {}), controller.signal, () => new Error('gone')),
    ).rejects.toThrow('gone');
  });
});
