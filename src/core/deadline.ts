import { deadlinesOf } from './deadline-queue.js';

/**
 * `work`'s outcome, or `timeoutError()` once `ms` has passed (`false`/undefined: no limit).
 * One promise per call and no timer of its own (deadlines of one duration share one timer,
 * core/deadline-queue.ts): no `Promise.race`, no extra async frame on the hot path.
 * Work that fails after the deadline cannot be stopped; its failure goes to `onLateFailure`
 * (or is swallowed), never to an unhandled rejection. `mapFailure` turns the work's own failure
 * (not the timeout) into what the caller expects, without a further `.then` on the hot path.
 */
export function withDeadline<T>(
  work: PromiseLike<T>,
  ms: number | false | undefined,
  timeoutError: () => Error,
  onLateFailure?: (failure: unknown) => void,
  mapFailure?: (failure: unknown) => unknown,
): Promise<T> {
  if ((ms === false || ms === undefined) && mapFailure === undefined) return Promise.resolve(work);
  return startWithDeadline<T>((resolve, reject) => work.then(resolve, reject), ms, timeoutError, onLateFailure, mapFailure);
}

/**
 * `withDeadline` for work started with callbacks (a stream read): `start(resolve, reject)` runs
 * at once, and the one promise it makes is all there is — no promise of the work's own to wrap.
 */
export function startWithDeadline<T>(
  start: (resolve: (value: T) => void, reject: (failure: unknown) => void) => void,
  ms: number | false | undefined,
  timeoutError: () => Error,
  onLateFailure?: (failure: unknown) => void,
  mapFailure?: (failure: unknown) => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const queue = ms === false || ms === undefined ? undefined : deadlinesOf(ms);
    const deadline = queue?.add(() => {
      settled = true;
      reject(timeoutError());
    });
    start(
      (value) => {
        if (settled) return;
        settled = true;
        if (deadline !== undefined) queue?.meet(deadline);
        resolve(value);
      },
      (failure) => {
        if (settled) {
          onLateFailure?.(failure);
          return;
        }
        settled = true;
        if (deadline !== undefined) queue?.meet(deadline);
        reject(mapFailure === undefined ? failure : mapFailure(failure));
      },
    );
  });
}
