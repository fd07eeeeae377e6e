import type { operations } from '@octokit/openapi-webhooks-types';
import type { GitHubActions, GitHubParents } from './github-events.js';
import type { IfInstalled } from './if-installed.js';

/**
 * GitHub's webhook events by name (`issues.opened`, `push`, and the parent `issues` for every
 * `issues.*` action), from `@octokit/openapi-webhooks-types` (GitHub's OpenAPI description),
 * named as octokit names them. Generated as one flat interface (scripts/generate-catalogs.ts).
 */
export interface GitHubEvents extends GitHubActions, GitHubParents {}

/** What the `github` preset carries: the catalog, or none when the types package is not installed. */
export type GitHubCatalog = IfInstalled<operations, GitHubEvents>;
