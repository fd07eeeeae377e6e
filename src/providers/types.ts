import type { BodyLike, DeliveryInput, HeadersLike, ReceiveResult } from '../core/types.js';

export interface VerifyInput extends DeliveryInput {
  /** Overrides the provider's replay window for this call (the receiver passes its own here). */
  toleranceSeconds?: number;
}

/** What `verify` proves: the bytes are authentic and fresh. Nothing has been parsed yet. */
export interface VerifiedDelivery {
  /** Unix seconds from the signed timestamp, where the scheme signs one. */
  timestamp?: number;
  /** Exactly the bytes received. */
  rawBody: Uint8Array;
  headers: HeadersLike;
  method?: string;
  url?: string;
}

/** What `parse` finds in a verified delivery. */
export interface ParsedDelivery {
  /** The sender's delivery id, used for dedupe; undefined where the scheme has none. */
  id?: string;
  /** The event type handlers are registered for (`invoice.paid`, `issues.opened`). */
  type?: string;
  /** Less specific types that handlers may also be registered for (GitHub: `issues` for `issues.opened`). */
  parentTypes?: readonly string[];
  payload: unknown;
  /**
   * The sender reads the handler's answer from the response (Discord interactions, Slack slash
   * commands and interactivity): a handler's plain return value is the reply. Elsewhere only
   * `reply(…)` sets one, so a returned database row never reaches the sender.
   */
  expectsReply?: boolean;
}

export interface SignInput {
  body: BodyLike;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Delivery id, for schemes that carry one in a header; a random one by default. */
  id?: string;
  url?: string;
  method?: string;
  /** Event type for schemes that carry it in a header (GitHub `X-GitHub-Event`, Shopify `X-Shopify-Topic`). */
  type?: string;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: BodyLike;
  /** The URL to send to, when `sign` completed the one given (Twilio appends `bodySHA256` for a JSON body). */
  url?: string;
}

/**
 * A sender's signature scheme, configured once (keys imported at construction).
 * Presets and the generic `hmac`/`ed25519` builders all produce this.
 */
export interface Provider {
  readonly name: string;
  /** Replay window in seconds; undefined when the scheme signs no timestamp. */
  readonly toleranceSeconds?: number;
  /** The sender's documented body cap, when larger than the receiver default (GitHub: 25 MiB). */
  readonly maxBodyBytes?: number;
  /** Checks authenticity and freshness only. Throws `WebhookError`. */
  verify(input: VerifyInput): VerifiedDelivery;
  /** Decodes the body and locates id and type. Throws `invalid_body`. */
  parse(verified: VerifiedDelivery): ParsedDelivery;
  /** Signs a body the way the sender would (tests, local senders). */
  sign(input: SignInput): SignedRequest;
  /** A reply the provider expects for a protocol handshake (Slack challenge, Discord PING), given a verified delivery. */
  handshake?(parsed: ParsedDelivery, verified: VerifiedDelivery): ReceiveResult | undefined;
  /**
   * The success answer the sender requires for a handled delivery, whatever the handlers return
   * or `reply(…)`, where it is not theirs to choose (Discord webhook events: always 204, no body).
   */
  acknowledge?(parsed: ParsedDelivery): ReceiveResult | undefined;
}
