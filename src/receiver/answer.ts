import { WebhookError } from '../core/errors.js';
import { jsonResult } from '../core/result.js';
import type { ReceiveResult } from '../core/types.js';
import type { ParsedDelivery, Provider } from '../providers/types.js';
import { isReply, replyResult, serialise } from './reply.js';

const OK_JSON = JSON.stringify({ ok: true });

/** The answer to a handled delivery, and the error to report when the handlers' reply could not be sent. */
export interface HandledAnswer {
  result: ReceiveResult;
  unsent?: WebhookError;
}

/**
 * Which handler return values count as the answer: any defined value where the sender's protocol
 * reads one (`expectsReply`), else only a `reply(…)`.
 */
export function answersWith(parsed: ParsedDelivery): (value: unknown) => boolean {
  return parsed.expectsReply === true ? isDefined : isReply;
}

/**
 * The answer to a delivery whose handlers all succeeded: the provider's fixed acknowledgement
 * (Discord webhook events: 204), else the handlers' reply, else 200 `{"ok":true}`. It never
 * throws: the work is done, so a reply that cannot be serialised is answered `{"ok":true}` (a
 * retry would run the handlers' side effects again) and handed back as `unsent` for `onError`.
 */
export function handledAnswer(provider: Provider, parsed: ParsedDelivery, value: unknown): HandledAnswer {
  const fixed = provider.acknowledge?.(parsed);
  if (fixed !== undefined) return { result: fixed };
  if (value === undefined || !answersWith(parsed)(value)) return { result: jsonResult(OK_JSON) };
  try {
    return { result: isReply(value) ? replyResult(value) : jsonResult(serialise(value)) };
  } catch (cause) {
    const unsent = new WebhookError(
      'misconfigured',
      "A handler's reply could not be serialised as JSON (a BigInt, a cycle, a function?); the delivery was handled and answered 200 {\"ok\":true}. Reply with JSON-serialisable values (a BigInt as a string).",
      { cause },
    );
    return { result: jsonResult(OK_JSON), unsent };
  }
}

function isDefined(value: unknown): boolean {
  return value !== undefined;
}
