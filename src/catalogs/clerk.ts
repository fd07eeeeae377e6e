import type { WebhookEvent } from '@clerk/backend/webhooks';
import type { IfInstalled } from './if-installed.js';

/** The members of `WebhookEvent` whose `type` may be `Name`, narrowed to it: Clerk groups `user.created | user.updated` in one member. */
type EventNamed<Name extends string, Event = WebhookEvent> = Event extends { type: infer Types } ? (Name extends Types ? Event & { type: Name } : never) : never;

type ByType = { [Name in WebhookEvent['type']]: EventNamed<Name> };

/** Clerk's events by `type` (`user.created`, `session.ended`, …), from `@clerk/backend`'s `WebhookEvent` union. */
export interface ClerkEvents extends ByType {}

/** What the `clerk` preset carries: the catalog, or none when `@clerk/backend` is not installed. */
export type ClerkCatalog = IfInstalled<WebhookEvent, ClerkEvents>;
