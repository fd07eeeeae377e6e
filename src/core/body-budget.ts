import { WebhookError } from './errors.js';

/** The default process-wide budget: two of GitHub's 25 MiB bodies at once, or hundreds of ordinary ones. */
export const DEFAULT_BODY_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Bytes buffered and inflated across every request in flight, shared by the receivers given
 * the same budget (by default one per process). `maxBodyBytes` bounds one request; this bounds
 * their sum, so many connections each sending a little cannot hold a lot of memory between them.
 *
 * @example
 * const budget = createBodyBudget({ maxBytes: 256 * 1024 * 1024 });
 * const github = createReceiver({ provider: providers.github({ secret }), bodyBudget: budget });
 * const stripe = createReceiver({ provider: providers.stripe({ secret }), bodyBudget: budget });
 */
export class BodyBudget {
  readonly maxBytes: number;
  #inUse = 0;

  constructor(maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
      throw new WebhookError('misconfigured', 'createBodyBudget(): `maxBytes` must be a whole number of bytes > 0.');
    }
    this.maxBytes = maxBytes;
  }

  /** Bytes held now by the requests in flight. */
  get inUse(): number {
    return this.#inUse;
  }

  /** A ticket for one request; `overloaded` when the budget is already spent, before anything is read. */
  open(): BodyTicket {
    if (this.#inUse >= this.maxBytes) throw overloaded(this.maxBytes);
    return new BodyTicket(this);
  }

  /** @internal Reserves `bytes`, or returns false without reserving any. */
  tryReserve(bytes: number): boolean {
    if (this.#inUse + bytes > this.maxBytes) return false;
    this.#inUse += bytes;
    return true;
  }

  /** @internal */
  free(bytes: number): void {
    this.#inUse -= bytes;
  }
}

/** What one request holds of a budget; `release()` gives it all back (idempotent). */
export class BodyTicket {
  #budget: BodyBudget;
  #held = 0;
  #released = false;

  constructor(budget: BodyBudget) {
    this.#budget = budget;
  }

  get held(): number {
    return this.#held;
  }

  /** Reserves `bytes` more before they are buffered or inflated; throws `overloaded` past the budget. */
  take(bytes: number): void {
    // Released: the request was answered (a timeout), so a read still going must stop keeping bytes.
    if (this.#released || !this.#budget.tryReserve(bytes)) throw overloaded(this.#budget.maxBytes);
    this.#held += bytes;
  }

  /** Gives back `bytes` reserved earlier (a decoder's window once it is gone). */
  give(bytes: number): void {
    const given = Math.min(bytes, this.#held);
    this.#held -= given;
    this.#budget.free(given);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#budget.free(this.#held);
    this.#held = 0;
  }
}

function overloaded(maxBytes: number): WebhookError {
  return new WebhookError(
    'overloaded',
    `Too many request bodies are being read at once (bodyBudget: ${maxBytes} bytes across all requests in flight); retry later.`,
  );
}

/**
 * A budget to share between receivers, or to size differently from the process-wide default
 * (64 MiB). Give it to `createReceiver({ bodyBudget })`.
 *
 * @example
 * const budget = createBodyBudget({ maxBytes: 256 * 1024 * 1024 });
 */
export function createBodyBudget(options: { maxBytes: number }): BodyBudget {
  return new BodyBudget(options.maxBytes);
}

/** The one budget every receiver without its own `bodyBudget` shares. */
export const processBodyBudget = new BodyBudget(DEFAULT_BODY_BUDGET_BYTES);
