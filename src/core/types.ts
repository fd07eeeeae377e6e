/** Headers in any shape a host hands them over: Node's object, fetch `Headers`, a record, pairs. */
export type HeadersLike =
  | Headers
  | Record<string, string | readonly string[] | number | undefined>
  | Iterable<readonly [string, string]>;

import type { BodyTicket } from './body-budget.js';

/** The raw body: the exact bytes received. A string is taken as its UTF-8 bytes. */
export type BodyLike = Uint8Array | string;

/** The limits a `BodySource` reads under, given by the receiver once the header checks passed. */
export interface BodyReadLimits {
  /** Largest body, decoded size included (the receiver's `maxBodyBytes`). */
  maxBytes: number;
  /** The whole body must have arrived by then (ms), or false. */
  timeoutMs: number | false;
  /** A body that sends nothing for this long (ms) is refused, or false. */
  idleTimeoutMs: number | false;
  /** Every byte buffered or inflated is taken from it first (`overloaded` past the budget). */
  ticket: BodyTicket;
}

/**
 * A body read on demand: adapters hand one to `receive`, which calls it only after the method
 * and the provider's header checks passed, so a forged request is refused before its body is read.
 */
export type BodySource = (limits: BodyReadLimits) => Promise<Uint8Array>;

/** What an adapter hands the pipeline: one HTTP request as plain data. */
export interface DeliveryInput {
  method?: string;
  url?: string;
  headers: HeadersLike;
  /** The exact bytes, or (adapters) a `BodySource` read after the header checks. */
  body: BodyLike | BodySource;
  /** The tenant, where the caller knows it (a `perTenant` provider's `tenant` function reads it). */
  tenant?: string;
  /** Current time in unix seconds; defaults to the clock. Tests inject it. */
  now?: number;
}

/** What every answer is: adapters copy it onto the wire without deciding anything. */
export interface ReceiveResult {
  status: number;
  headers: Record<string, string>;
  /** Serialised body, ready to send (JSON unless `headers['content-type']` says otherwise). */
  body: string;
}
