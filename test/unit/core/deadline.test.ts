import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../../src/core/deadline.js';
import { WebhookError } from '../../../src/core/errors.js';
import { deferred } from '../receiver/_helpers.js';

const timeoutError = () => new WebhookError('handler_timeout', 'too slow');

describe('withDeadline()', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('work finishing before the deadline → its value, and the timer is cleared', async () => {
    const work = deferred<string>();
    const result = withDeadline(work.promise, 1000, timeoutError);
    work.resolve('done');
    await expect(result).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('work failing before the deadline → its failure, unchanged', async () => {
    const work = deferred<string>();
    const result = withDeadline(work.promise, 1000, timeoutError);
    const failure = new Error('boom');
    work.reject(failure);
    await expect(result).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
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
});
