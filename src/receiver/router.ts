import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import type { Delivery, ErrorHandler, Handler } from './types.js';
import type { WebhookError } from '../core/errors.js';

/** One `on(type, …)` (type set) or `onAny(…)` (type undefined) registration. */
export interface Registration {
  order: number;
  handler: Handler;
  type: string | undefined;
}

/** Event types whose registration lists are remembered; types come from senders, so the memo is bounded. */
const MEMO_LIMIT = 1024;

/** Handlers by event type, kept in registration order (the first answer returned wins). */
export class Router {
  private readonly byType = new Map<string, Registration[]>();
  private readonly any: Registration[] = [];
  private readonly errorHandlers: ErrorHandler[] = [];
  /** `registrationsFor` of a type without parent types: the same list for every delivery of that type until a handler is added. */
  private readonly memo = new Map<string, readonly Registration[]>();
  private count = 0;

  on(type: string, handler: Handler): void {
    const list = this.byType.get(type) ?? [];
    list.push({ order: this.count++, handler, type });
    this.byType.set(type, list);
    this.memo.clear();
  }

  onAny(handler: Handler): void {
    this.any.push({ order: this.count++, handler, type: undefined });
    this.memo.clear();
  }

  onError(handler: ErrorHandler): void {
    this.errorHandlers.push(handler);
  }

  /** Every registration for `type`, its parent types and `onAny`, in registration order. Not to be modified. */
  registrationsFor(type: string | undefined, parentTypes: readonly string[] | undefined): readonly Registration[] {
    if (type === undefined) return this.any;
    if (parentTypes !== undefined && parentTypes.length > 0) return this.collect(type, parentTypes);
    let found = this.memo.get(type);
    if (found === undefined) {
      found = this.collect(type, undefined);
      if (this.memo.size < MEMO_LIMIT) this.memo.set(type, found);
    }
    return found;
  }

  private collect(type: string, parentTypes: readonly string[] | undefined): Registration[] {
    const found: Registration[] = [...(this.byType.get(type) ?? [])];
    if (parentTypes) for (const parent of parentTypes) if (parent !== type) found.push(...(this.byType.get(parent) ?? []));
    found.push(...this.any);
    return found.length < 2 ? found : found.sort((a, b) => a.order - b.order);
  }

  /**
   * Runs every handler concurrently, each with its own view of the delivery; the answer is the
   * first return value in registration order that `answers` accepts. A single handler is called
   * directly and its own return value handed back (awaited by the caller only when it is a
   * promise); its synchronous throw becomes a `HandlerFailure`, and so must the caller turn its
   * rejection. Several handlers are awaited together and reject with the first failure, a `HandlerFailure`.
   */
  dispatch(calls: readonly (readonly [Handler, Delivery])[], answers: (value: unknown) => boolean): MaybePromise<unknown> {
    if (calls.length === 1) {
      const [handler, delivery] = calls[0] as readonly [Handler, Delivery];
      try {
        return handler(delivery);
      } catch (error) {
        throw new HandlerFailure(error);
      }
    }
    return dispatchAll(calls, answers);
  }

  /**
   * Tells every onError observer. An observer that throws, or returns a promise that rejects,
   * is ignored: it must not change the answer, nor crash the process with an unhandled rejection.
   */
  report(error: WebhookError, delivery?: Delivery): void {
    for (const handler of this.errorHandlers) {
      try {
        const returned: unknown = handler(error, delivery);
        if (isThenable(returned)) returned.then(undefined, ignore);
      } catch {
        // Observers only observe.
      }
    }
  }
}

async function dispatchAll(calls: readonly (readonly [Handler, Delivery])[], answers: (value: unknown) => boolean): Promise<unknown> {
  const results = await Promise.allSettled(calls.map(([handler, delivery]) => invoke(handler, delivery)));
  for (const result of results) if (result.status === 'rejected') throw new HandlerFailure(result.reason);
  for (const result of results) if (result.status === 'fulfilled' && answers(result.value)) return result.value;
  return undefined;
}

/** Wraps whatever a handler threw (an Error, a string, undefined…). */
export class HandlerFailure {
  constructor(readonly reason: unknown) {}
}

/** A handler's failure, wrapped once. */
export function handlerFailure(reason: unknown): HandlerFailure {
  return reason instanceof HandlerFailure ? reason : new HandlerFailure(reason);
}

async function invoke(handler: Handler, delivery: Delivery): Promise<unknown> {
  return handler(delivery);
}

function ignore(): void {}
