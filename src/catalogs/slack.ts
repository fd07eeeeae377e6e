import type { AppRateLimitedEvent, SlackEvent } from '@slack/types';
import type { IfInstalled } from './if-installed.js';

// The inner events come from `@slack/types`; the envelope, slash command and interactivity
// shapes around them are not in that package and are written here from Slack's API docs.

/** An Events API delivery: the `event_callback` envelope around one event (`app_mention`, `message`, …). */
export interface SlackEventCallback<Event> {
  type: 'event_callback';
  token: string;
  team_id: string;
  api_app_id: string;
  event: Event;
  event_id: string;
  event_time: number;
  event_context?: string;
  authorizations?: { enterprise_id: string | null; team_id: string | null; user_id: string; is_bot: boolean; is_enterprise_install?: boolean }[];
  is_ext_shared_channel?: boolean;
  context_team_id?: string | null;
  context_enterprise_id?: string | null;
}

/** A slash command (a form body): its name is the command itself, `/deploy`. */
export interface SlackSlashCommand {
  command: string;
  text: string;
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  api_app_id: string;
  response_url: string;
  trigger_id: string;
  enterprise_id?: string;
  enterprise_name?: string;
  is_enterprise_install?: string;
}

/** What every interactivity payload carries; the rest is left open (`unknown`), as the docs list many optional fields. */
export interface SlackInteraction<Type extends string> {
  type: Type;
  token: string;
  api_app_id: string;
  team: { id: string; domain: string } | null;
  user: { id: string; username?: string; name?: string; team_id?: string };
  trigger_id?: string;
  [field: string]: unknown;
}

/** A submitted or closed modal: its `view` with the inputs' state. */
export interface SlackViewInteraction<Type extends 'view_submission' | 'view_closed'> extends SlackInteraction<Type> {
  view: { id: string; callback_id: string; private_metadata: string; state: { values: Record<string, Record<string, unknown>> }; [field: string]: unknown };
}

/** Buttons, selects and other block elements: the `actions` taken. */
export interface SlackBlockActions extends SlackInteraction<'block_actions'> {
  actions: { type: string; action_id: string; block_id: string; action_ts: string; value?: string; [field: string]: unknown }[];
  response_url?: string;
}

type EventCallbacks = { [Event in Exclude<SlackEvent, AppRateLimitedEvent> as Event['type']]: SlackEventCallback<Extract<SlackEvent, { type: Event['type'] }>> };

interface TopLevel {
  app_rate_limited: AppRateLimitedEvent;
  block_actions: SlackBlockActions;
  view_submission: SlackViewInteraction<'view_submission'>;
  view_closed: SlackViewInteraction<'view_closed'>;
  shortcut: SlackInteraction<'shortcut'> & { callback_id: string };
  message_action: SlackInteraction<'message_action'> & { callback_id: string; message: Record<string, unknown> };
  [command: `/${string}`]: SlackSlashCommand;
}

/** Slack's Events API events (by `event.type`), interactivity payloads (by `type`) and slash commands (by `/command`). */
export interface SlackEvents extends EventCallbacks, TopLevel {}

/** What the `slack` preset carries: the catalog, or none when `@slack/types` is not installed. */
export type SlackCatalog = IfInstalled<SlackEvent, SlackEvents>;
