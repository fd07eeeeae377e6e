/** Event catalogs of the senders that publish their event types: type level only, nothing at run time. */
export type { GitHubEvents } from './github.js';
export type { StripeEvents } from './stripe.js';
export type { SlackEvents, SlackEventCallback, SlackSlashCommand, SlackInteraction, SlackViewInteraction, SlackBlockActions } from './slack.js';
export type { DiscordEvents } from './discord.js';
export type { ClerkEvents } from './clerk.js';
