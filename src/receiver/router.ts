import type { Delivery, ErrorHandler, Handler } from './types.js';
import type { WebhookError } from '../core/errors.js';

/** One `on(type, …)` (type set) or `onAny(…)` (type undefined) registration. */
export interface Registration {
  order: number;
  handler: Handler;
  type: string | undefined;
}

/** Handlers by event type, kept in registration order (the first value returned wins). */
export class Router {
  private readonly byType = new Map<string, Registration[]>();
  private readonly any: Registration[] = [];
  private readonly errorHandlers: ErrorHandler[] = [];
  private count = 0;

  on(type: string, handler: Handler): void {
    const list = this.byType.get(type) ?? [];
    list.push({ order: this.count++, handler, type });
    this.byType.set(type, list);
  }

  onAny(handler: Handler): void {
    this.any.push({ order: this.count++, handler, type: undefined });
  }

  onError(handler: ErrorHandler): void {
    this.errorHandlers.push(handler);
  }

  /** Every registration for `type`, its parent types and `onAny`, in registration order. */
  registrationsFor(type: string | undefined, parentTypes: readonly string[] | undefined): Registration[] {
    const found: Registration[] = [];
    if (type !== undefined) {
      const own = this.byType.get(type);
      if (own) found.push(...own);
      if (parentTypes) for (const parent of parentTypes) if (parent !== type) found.push(...(this.byType.get(parent) ?? []));
    }
    found.push(...this.any);
    return found.length < 2 ? found : found.sort((a, b) => a.order - b.order);
  }

  /**
   * Runs every handler concurrently, each with its own view of the delivery; resolves to the
   * first defined return value in registration order, or rejects with the first failure.
   */
  async dispatch(calls: readonly (readonly [Handler, Delivery])[]): Promise<unknown> {
    const results = await Promise.allSettled(calls.map(([handler, delivery]) => invoke(handler, delivery)));
    for (const result of results) if (result.status === 'rejected') throw new HandlerFailure(result.reason);
    for (const result of results) if (result.status === 'fulfilled' && result.value !== undefined) return result.value;
    return undefined;
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

/** Wraps whatever a handler threw (an Error, a string, undefined…). */
export class HandlerFailure {
  constructor(readonly reason: unknown) {}
}

async function invoke(handler: Handler, delivery: Delivery): Promise<unknown> {
  return handler(delivery);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function ignore(): void {}
