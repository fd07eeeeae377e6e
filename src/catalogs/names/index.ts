/**
 * `hookguard/catalogs`: each catalog's event names at run time, for `createReceiver({ knownEvents })`
 * (`on()` with a name the sender never sends then warns once). Kept out of the presets so that a
 * bundle carries only the list it imports.
 *
 * @example
 * import { githubEventNames } from 'hookguard/catalogs';
 * const receiver = createReceiver({ provider: providers.github({ secret }), knownEvents: githubEventNames });
 *
 * @module
 */
export { githubEventNames } from './github.js';
export { stripeEventNames } from './stripe.js';
export { slackEventNames } from './slack.js';
export { discordEventNames } from './discord.js';
export { clerkEventNames } from './clerk.js';
export type { KnownEvents } from './known-events.js';
