import type { operations } from '@octokit/openapi-webhooks-types';
import type { IfInstalled } from './if-installed.js';

// GitHub's OpenAPI description names each webhook operation `event/action` in kebab case
// (`check-run/requested-action`, or `push` alone); octokit's emitter names are the same in
// snake case joined by a dot (`check_run.requested_action`). We derive them the same way.
type OperationId = keyof operations & string;

type Snake<Text extends string> = Text extends `${infer Head}-${infer Tail}` ? `${Head}_${Snake<Tail>}` : Text;

/** `issues/opened` → `issues.opened`; `push` → `push`. */
type EmitterName<Id extends string> = Id extends `${infer Event}/${infer Action}` ? `${Snake<Event>}.${Snake<Action>}` : Snake<Id>;

/** `issues/opened` → `issues`: the event that has actions (hookguard's parent type). */
type ParentEvent<Id extends string> = Id extends `${infer Event}/${string}` ? Event : never;

type Payload<Id extends OperationId> = operations[Id]['requestBody']['content']['application/json'];

/** `issues.opened` and every other `event.action`, and the events without actions (`push`). */
type Actions = { [Id in OperationId as EmitterName<Id>]: Payload<Id> };

/** `issues`: the union of every `issues.*` payload. */
type Parents = { [Event in ParentEvent<OperationId> as Snake<Event>]: Payload<Extract<OperationId, `${Event}/${string}`>> };

/** GitHub's webhook events by name, from `@octokit/openapi-webhooks-types` (GitHub's OpenAPI description). */
export interface GitHubEvents extends Actions, Parents {}

/** What the `github` preset carries: the catalog, or none when the types package is not installed. */
export type GitHubCatalog = IfInstalled<operations, GitHubEvents>;
