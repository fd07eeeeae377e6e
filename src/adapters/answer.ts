import type { BodySource, HeadersLike, ReceiveResult } from '../core/types.js';
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
 * being read; a POST goes with its body as a `BodySource`, which the receiver reads only once
 * the provider's header checks passed, under its limits and body budget. The receiver's answer
 * is returned as is (a receiver's `receive` answers every failure itself; adapters still turn
 * a rejection from a hand-made one into `receiver.fail`).
 */
export function answerRequest<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  request: RequestLine,
  readBody: BodySource,
): Promise<ReceiveResult> {
  const { method, url, headers } = request;
  if (method !== 'POST' && method.toUpperCase() !== 'POST') return receiver.receive({ method, url, headers, body: EMPTY });
  let answer: Promise<ReceiveResult>;
  try {
    answer = receiver.receive({ method, url, headers, body: readBody });
  } catch (error) {
    return Promise.resolve(receiver.fail(error));
  }
  return Promise.resolve(answer).then(undefined, (error: unknown) => receiver.fail(error));
}
