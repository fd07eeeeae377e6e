/** A value now, or later: the receiver's steps stay synchronous until something really is async. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** True for a promise or any object with a `then` method (what `await` would wait on). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
