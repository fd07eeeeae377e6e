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
 * `receiver.fail`, and the bytes go to `receiver.receive`. Never rejects.
 */
export async function answerRequest<E extends EventSchemas | undefined>(
  receiver: Receiver<E>,
  request: RequestLine,
  readBody: () => Uint8Array | Promise<Uint8Array>,
): Promise<ReceiveResult> {
  if (request.method.toUpperCase() !== 'POST') return receiver.receive({ ...request, body: EMPTY });
  let body: Uint8Array;
  try {
    body = await readBody();
  } catch (error) {
    return receiver.fail(error);
  }
  try {
    return await receiver.receive({ ...request, body });
  } catch (error) {
    return receiver.fail(error); // receive() answers every failure itself; this only guards a broken contract
  }
}
