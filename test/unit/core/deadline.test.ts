import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWithDeadline, withDeadline } from '../../../src/core/deadline.js';
import { deadlinesOf } from '../../../src/core/deadline-queue.js';
import { WebhookError } from '../../../src/core/errors.js';
import { deferred } from '../receiver/_helpers.js';

const timeoutError = () => new WebhookError('handler_timeout', 'too slow');

describe('withDeadline()', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('work finishing before the deadline → its value, and its deadline is met (the shared timer then fires harmlessly)', async () => {
    const work = deferred<string>();
    const result = withDeadline(work.promise, 1000, timeoutError);
    expect(deadlinesOf(1000).size).toBe(1);
    work.resolve('done');
    await expect(result).resolves.toBe('done');
    expect(deadlinesOf(1000).size).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('work failing before the deadline → its failure, unchanged', async () => {
    const work = deferred<string>();
    const result = withDeadline(work.promise, 1000, timeoutError);
    const failure = new Error('boom');
    work.reject(failure);
    await expect(result).rejects.toBe(failure);
    expect(deadlinesOf(1000).size).toBe(0);
  });

  it('work still running at the deadline → the timeout error (code and status)', async () => {
    const work = deferred<string>();
    const result = withDeadline(work.promise, 1000, timeoutError);
    vi.advanceTimersByTime(1000);
    await expect(result).rejects.toMatchObject({ code: 'handler_timeout', status: 503 });
  });

  it('a failure after the deadline goes to onLateFailure, never to an unhandled rejection', async () => {
    const work = deferred<string>();
    const late: unknown[] = [];
    const result = withDeadline(work.promise, 1000, timeoutError, (failure) => late.push(failure));
    vi.advanceTimersByTime(1000);
    await expect(result).rejects.toMatchObject({ code: 'handler_timeout' });
    const failure = new Error('late');
    work.reject(failure);
    await Promise.resolve();
    await Promise.resolve();
    expect(late).toEqual([failure]);
  });

  it('ms false or undefined → the work itself, no timer', async () => {
    const work = Promise.resolve(1);
    expect(withDeadline(work, false, timeoutError)).toBe(work);
    expect(withDeadline(work, undefined, timeoutError)).toBe(work);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ms false with mapFailure → no timer, and the failure mapped', async () => {
    const failure = new Error('boom');
    const result = withDeadline(Promise.reject(failure), false, timeoutError, undefined, (cause) => ({ wrapped: cause }));
    await expect(result).rejects.toEqual({ wrapped: failure });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('startWithDeadline() (work started with callbacks)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolved through its callback before the deadline → the value, deadline met', async () => {
    let finish!: (value: string) => void;
    const result = startWithDeadline<string>((resolve) => (finish = resolve), 1000, timeoutError);
    expect(deadlinesOf(1000).size).toBe(1);
    finish('read');
    await expect(result).resolves.toBe('read');
    expect(deadlinesOf(1000).size).toBe(0);
  });

  it('still running at the deadline → the timeout error; a late failure goes to onLateFailure', async () => {
    let fail!: (failure: unknown) => void;
    const late: unknown[] = [];
    const result = startWithDeadline<string>((_resolve, reject) => (fail = reject), 500, () => new WebhookError('body_timeout', 'slow'), (failure) => late.push(failure));
    vi.advanceTimersByTime(500);
    await expect(result).rejects.toMatchObject({ code: 'body_timeout', status: 408 });
    fail('connection closed');
    expect(late).toEqual(['connection closed']);
  });
});
