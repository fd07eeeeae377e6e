/**
 * The shared deadline timer (core/deadline-queue.ts): deadlines of one duration fire exactly
 * when due, never when met, through one timer however many are pending; it survives fake timers
 * coming and going, keeps memory bounded behind a slow deadline, and holds no process open.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue } from '../../../src/core/deadline-queue.js';

afterEach(() => vi.useRealTimers());

describe('DeadlineQueue', () => {
  it('fires a deadline at exactly ms, not a millisecond before', () => {
    vi.useFakeTimers();
    const queue = new DeadlineQueue(1000);
    const fired: string[] = [];
    queue.add(() => fired.push('a'));
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a']);
    expect(queue.size).toBe(0);
  });

  it('a met deadline never fires; 100 pending deadlines share one timer', () => {
    vi.useFakeTimers();
    const queue = new DeadlineQueue(1000);
    const fired: number[] = [];
    const deadlines = Array.from({ length: 100 }, (_, i) => queue.add(() => fired.push(i)));
    expect(vi.getTimerCount()).toBe(1);
    for (const [i, deadline] of deadlines.entries()) if (i % 2 === 0) queue.meet(deadline);
    queue.meet(deadlines[0]!); // twice is harmless
    expect(queue.size).toBe(50);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i + 1));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a deadline set later fires at its own time, after the one the timer was armed for was met', () => {
    vi.useFakeTimers();
    const queue = new DeadlineQueue(1000);
    const fired: string[] = [];
    const first = queue.add(() => fired.push('first'));
    vi.advanceTimersByTime(400); // vitest's fake timers move performance.now() too
    queue.add(() => fired.push('second'));
    queue.meet(first);
    vi.advanceTimersByTime(600); // t = 1000: the timer armed for `first` fires, finds `second` not yet due
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(399);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1); // t = 1400
    expect(fired).toEqual(['second']);
  });

  it('once every deadline is met, the queue starts over and later deadlines still fire on time', () => {
    vi.useFakeTimers();
    const queue = new DeadlineQueue(1000);
    const fired: number[] = [];
    for (let round = 0; round < 3; round++) queue.meet(queue.add(() => fired.push(-1)));
    expect(queue.held).toBe(0);
    vi.advanceTimersByTime(500);
    queue.add(() => fired.push(1));
    queue.add(() => fired.push(2));
    expect(queue.held).toBe(2);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([1, 2]);
  });

  it('with only setTimeout faked (the clock stands still), deadlines still fire when their timer does', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const queue = new DeadlineQueue(5000);
    const fired: string[] = [];
    queue.add(() => fired.push('a'));
    queue.add(() => fired.push('b'));
    vi.advanceTimersByTime(4999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['a', 'b']);
  });

  it('fake timers removed while their timer was armed: the next deadline is armed on the real clock and fires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const queue = new DeadlineQueue(30);
    queue.meet(queue.add(() => undefined)); // leaves a fake timer armed
    vi.useRealTimers();
    const fired = new Promise<string>((resolve) => queue.add(() => resolve('fired')));
    await expect(fired).resolves.toBe('fired');
  });

  it('met deadlines behind a slow pending one are compacted away; the slow one and later ones still fire', () => {
    vi.useFakeTimers();
    const queue = new DeadlineQueue(1000);
    const fired: string[] = [];
    queue.add(() => fired.push('slow'));
    for (let i = 0; i < 5000; i++) queue.meet(queue.add(() => fired.push(`fast ${i}`)));
    expect(queue.held).toBeLessThan(2048);
    queue.add(() => fired.push('last'));
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['slow', 'last']);
    expect(queue.size).toBe(0);
  });

  it('a pending deadline does not keep the process alive (the timer is unref’d)', () => {
    const module = fileURLToPath(new URL('../../../src/core/deadline-queue.ts', import.meta.url));
    const script = `const { DeadlineQueue } = await import(${JSON.stringify(module)}); new DeadlineQueue(60000).add(() => process.exit(3));`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
