import type { KnownEvents } from '../catalogs/names/known-events.js';
import type { Logger } from './logger.js';

/** Names warned about are remembered so each is reported once; registrations are the user's code, but bound them anyway. */
const WARNED_LIMIT = 1024;

/**
 * `on(name)`'s run-time check: a name no delivery will ever carry is reported once, as a warning
 * (its handler would never run). Known: the `knownEvents` list and the `events` map's names.
 * Without `knownEvents`, only `'*'` is checked: it is not a wildcard here.
 */
export function createNameCheck(providerName: string, known: KnownEvents | undefined, events: ReadonlyMap<string, unknown>, logger: Logger): (name: string) => void {
  const warned = new Set<string>();
  return (name) => {
    if (warned.has(name) || warned.size >= WARNED_LIMIT) return;
    let message: string;
    if (name === '*') {
      message = `hookguard (${providerName}): on('*') is not a wildcard: no delivery has type '*', so this handler will never run. Use receiver.onAny(handler) for every delivery.`;
    } else {
      if (known === undefined || known.has(name) || events.has(name)) return;
      const near = known.nearest?.(name);
      message = `hookguard (${providerName}): on(${JSON.stringify(name)}): ${providerName} sends no event of that name (not in knownEvents), so this handler will never run.${near === undefined ? '' : ` Did you mean ${JSON.stringify(near)}?`}`;
    }
    warned.add(name);
    logger.warn(message, { provider: providerName, type: name });
  };
}
