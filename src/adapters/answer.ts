import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import type { HeadersLike, ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';

const EMPTY = new Uint8Array(0);

/** The request as every adapter sees it before reading the body. */
export interface RequestLine {
  method: string;
  url: string;
  headers: HeadersLike;
}

/**
 * The one sequence every adapter runs: non-POST goes to the receiver (405) without its body
 * being read; otherwise the adapter's own reader runs, a read failure is answered through
 * `receiver.fail`, and the bytes go to `receiver.receive`, whose answer is returned as is
 * (a receiver's `receive` answers every failure itself; adapters still turn a rejection from
 * a hand-made one into `receiver.fail`). No async frame of its own: one reaction on the read.
 */
export function answerRequest<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  request: RequestLine,
  readBody: () => MaybePromise<Uint8Array>,
): Promise<ReceiveResult> {
  const { method, url, headers } = request;
  if (method !== 'POST' && method.toUpperCase() !== 'POST') return receiver.receive({ method, url, headers, body: EMPTY });
  let reading: MaybePromise<Uint8Array>;
  try {
    reading = readBody();
  } catch (error) {
    return Promise.resolve(receiver.fail(error));
  }
  if (!isThenable(reading)) return receiver.receive({ method, url, headers, body: reading });
  return Promise.resolve(reading).then(
    (body) => receiver.receive({ method, url, headers, body }),
    (error: unknown) => receiver.fail(error),
  );
}
