/**
 * hookguard: receive webhooks correctly — verified over the exact bytes, fresh, deduplicated,
 * validated against your schemas and routed to typed handlers.
 *
 * @module
 */
export { createReceiver } from './receiver/create-receiver.js';
export { reply, type Reply, type ReplyOptions } from './receiver/reply.js';
export type { Receiver, ReceiverOptions, CloseOptions, Delivery, Handler, ErrorHandler, EventSchemas, EventType, PayloadOf, AnyPayload, AnyProviderTypes, SchemaOutput, UnhandledPolicy, HandlerErrorPolicy } from './receiver/types.js';
export type { StandardSchemaV1 } from './receiver/standard-schema.js';
export type { Logger, LogFields } from './receiver/logger.js';
export type { KnownEvents } from './catalogs/names/known-events.js';
export type { GitHubEvents, StripeEvents, SlackEvents, SlackEventCallback, SlackSlashCommand, SlackInteraction, SlackViewInteraction, SlackBlockActions, DiscordEvents, ClerkEvents } from './catalogs/index.js';
export { providers } from './providers/index.js';
export { verifyWebhook, verifyWebhookAsync, type VerifiedWebhook } from './providers/verify-webhook.js';
export { perTenant, type PerTenantOptions, type TenantProvider, type TenantRequest, type TenantSecrets } from './providers/per-tenant.js';
export { defineProvider, signedBodyOnly, type ProviderSpec, type SignedContent, type SignedContentContext, type Locator } from './providers/define-provider.js';
export { hmacCheck, ed25519Check, ecdsaCheck, type SignatureCheck } from './providers/signature-check.js';
export { prefixedSignature, versionedSignatureList, keyValueSignatureList, MAX_SIGNATURES, type SignatureHeaderFormat, type SignatureEntry } from './providers/signature-header.js';
export type { Provider, ProviderTypes, EventCatalog, UntypedEvents, VerifyInput, VerifiedDelivery, ParsedDelivery, SignInput, SignedRequest } from './providers/types.js';
export type { HmacOptions, SchemeOptions } from './providers/hmac.js';
export type { Ed25519Options } from './providers/ed25519.js';
export type { EcdsaOptions } from './providers/ecdsa.js';
export type { DsaEncoding, EcdsaKeyInput } from './crypto/ecdsa.js';
export type { PublicUrlOptions } from './providers/public-url.js';
export type { StandardWebhooksOptions } from './providers/standard-webhooks.js';
export { tokenCheck } from './providers/signature-check.js';
export type { TimestampContext } from './providers/define-provider.js';
export { parseUnixSeconds, parseUnixMilliseconds, parseRfc3339, formatRfc3339, formatUnixMilliseconds } from './core/timestamp.js';
export { WebhookError, isWebhookError, ERROR_STATUS, type WebhookErrorCode, type SchemaIssue } from './core/errors.js';
export { getHeader } from './core/headers.js';
export type { DeliveryInput, ReceiveResult, HeadersLike, BodyLike, BodySource, BodyReadLimits } from './core/types.js';
export { createBodyBudget, BodyBudget, DEFAULT_BODY_BUDGET_BYTES, type BodyTicket } from './core/body-budget.js';
export { memoryStore, type MemoryStore, type MemoryStoreOptions } from './stores/memory.js';
export type { DedupeStore, ClaimResult } from './stores/types.js';
export { ed25519Backend, setEd25519Backend, type Ed25519Backend } from './crypto/ed25519.js';
export type { SecretFormat, SecretInput } from './crypto/keys.js';
export type { DeliveryEvent, DeliveryListener, DeliveryOutcome, DeliveryStage } from './telemetry/delivery-event.js';
export type { OpenTelemetryOptions } from './telemetry/instruments.js';
