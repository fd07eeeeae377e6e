import type { Delivery, ErrorHandler, Handler } from './types.js';
import type { WebhookError } from '../core/errors.js';

interface Registration {
  order: number;
  handler: Handler;
}

/** Handlers by event type, kept in registration order (the first value returned wins). */
export class Router {
  private readonly byType = new Map<string, Registration[]>();
  private readonly any: Registration[] = [];
  private readonly errorHandlers: ErrorHandler[] = [];
  private count = 0;

  on(type: string, handler: Handler): void {
    const list = this.byType.get(type) ?? [];
    list.push({ order: this.count++, handler });
    this.byType.set(type, list);
  }

  onAny(handler: Handler): void {
    this.any.push({ order: this.count++, handler });
  }

  onError(handler: ErrorHandler): void {
    this.errorHandlers.push(handler);
  }

  /** Every handler for `type`, its parent types and `onAny`, in registration order. */
  handlersFor(type: string | undefined, parentTypes: readonly string[] | undefined): Handler[] {
    const found: Registration[] = [];
    if (type !== undefined) {
      const own = this.byType.get(type);
      if (own) found.push(...own);
      if (parentTypes) for (const parent of parentTypes) found.push(...(this.byType.get(parent) ?? []));
    }
    found.push(...this.any);
    if (found.length === 1) return [(found[0] as Registration).handler];
    return found.sort((a, b) => a.order - b.order).map((registration) => registration.handler);
  }

  /** Runs every handler concurrently; resolves to the first defined return value, or rejects with the first failure. */
  async dispatch(handlers: readonly Handler[], delivery: Delivery): Promise<unknown> {
    const results = await Promise.allSettled(handlers.map((handler) => invoke(handler, delivery)));
    for (const result of results) if (result.status === 'rejected') throw new HandlerFailure(result.reason);
    for (const result of results) if (result.status === 'fulfilled' && result.value !== undefined) return result.value;
    return undefined;
  }

  /** Tells every onError observer; an observer that throws is ignored (it must not change the answer). */
  report(error: WebhookError, delivery?: Delivery): void {
    for (const handler of this.errorHandlers) {
      try {
        handler(error, delivery);
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
