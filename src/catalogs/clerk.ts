import type { WebhookEvent } from '@clerk/backend/webhooks';
import type { IfInstalled } from './if-installed.js';

/** Clerk's events by `type` (`user.created`, `session.ended`, …), from `@clerk/backend`'s `WebhookEvent` union. */
export type ClerkEvents = IfInstalled<WebhookEvent, { [Event in WebhookEvent as Event['type']]: Event }>;
