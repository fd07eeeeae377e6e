/** The answer to a claim: this caller owns the id now, or someone else has/had it. */
export type ClaimResult = 'claimed' | 'in_flight' | 'duplicate';

/**
 * Remembers delivery ids so each is handled once. `claim` must be atomic: of concurrent
 * claims for one id exactly one returns `claimed`. Errors thrown here answer 503
 * `store_unavailable` (fail closed).
 */
export interface DedupeStore {
  /** Marks `id` as being handled, unless it is already being handled or done. */
  claim(id: string): ClaimResult | Promise<ClaimResult>;
  /** The handler finished: later claims answer `duplicate`. */
  complete(id: string): void | Promise<void>;
  /** The handler failed: forget the claim so the sender's retry is handled. */
  release(id: string): void | Promise<void>;
}
