/** The answer to a claim: this caller owns the id now, or someone else has/had it. */
export type ClaimResult = 'claimed' | 'in_flight' | 'duplicate';

/**
 * Remembers delivery ids so each is handled once. `claim` must be atomic: of concurrent
 * claims for one id exactly one returns `claimed`. Errors thrown here answer 503
 * `store_unavailable` (fail closed).
 */
export interface DedupeStore {
  /**
   * Marks `key` as being handled by `owner`, unless it is already being handled or done.
   * `key` is the receiver's `dedupeKey(namespace, id)`: namespaced, and bounded in length (a
   * store keeps it as is). `owner` is a token new for each delivery attempt (the receiver always
   * passes one; a direct caller may leave it out, and such claims match each other).
   */
  claim(key: string, owner?: string): ClaimResult | Promise<ClaimResult>;
  /**
   * The handler finished: later claims answer `duplicate`. Marks the key done whoever holds it —
   * the work happened, even if this owner's claim expired and a retry claimed it meanwhile.
   */
  complete(key: string, owner?: string): void | Promise<void>;
  /**
   * The handler failed: forget the claim so the sender's retry is handled — only while `owner`
   * still holds it. Never deletes another owner's claim, nor a key already done.
   */
  release(key: string, owner?: string): void | Promise<void>;
}
