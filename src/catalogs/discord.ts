import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  APIWebhookEventBase,
  APIWebhookEventBody,
  ApplicationWebhookType,
} from 'discord-api-types/v10';
import type { IfInstalled } from './if-installed.js';

/** Interactions by the names the discord preset gives their numeric `type` (PING is answered by the preset). */
interface Interactions {
  APPLICATION_COMMAND: APIApplicationCommandInteraction;
  MESSAGE_COMPONENT: APIMessageComponentInteraction;
  APPLICATION_COMMAND_AUTOCOMPLETE: APIApplicationCommandAutocompleteInteraction;
  MODAL_SUBMIT: APIModalSubmitInteraction;
}

/** Webhook events by `event.type` (`APPLICATION_AUTHORIZED`, `ENTITLEMENT_CREATE`, …); the payload is the whole body. */
type WebhookEvents = { [Body in APIWebhookEventBody as `${Body['type']}`]: APIWebhookEventBase<ApplicationWebhookType.Event, Body> };

/** Discord's interactions and webhook events, from `discord-api-types` (API v10). */
export interface DiscordEvents extends Interactions, WebhookEvents {}

/** What the `discord` preset carries: the catalog, or none when `discord-api-types` is not installed. */
export type DiscordCatalog = IfInstalled<APIWebhookEventBody, DiscordEvents>;
