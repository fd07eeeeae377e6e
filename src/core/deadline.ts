/**
 * `work`'s outcome, or `timeoutError()` once `ms` has passed (`false`/undefined: no limit).
 * One timer and one promise per call: no `Promise.race`, no extra async frame on the hot path.
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
  if (ms === false || ms === undefined) {
    if (mapFailure === undefined) return Promise.resolve(work);
    return Promise.resolve(work).then(undefined, (failure: unknown) => {
      throw mapFailure(failure);
    });
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(timeoutError());
    }, ms);
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (failure: unknown) => {
        if (settled) {
          onLateFailure?.(failure);
          return;
        }
        settled = true;
        clearTimeout(timer);
        reject(mapFailure === undefined ? failure : mapFailure(failure));
      },
    );
  });
}
