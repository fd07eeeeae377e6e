import type { ParsedDelivery } from '../providers/types.js';
import type { Logger } from './logger.js';

/** Event types whose first `ignored` delivery was logged at info; types come from senders, so bounded. */
const SEEN_LIMIT = 1024;

/**
 * Makes `ignored` deliveries visible without flooding: the first of each type is logged at info
 * (a handler missing for a type the sender does send — often a misspelt `on()` name), every
 * later one at debug (a sender subscribed to more events than the app handles is normal).
 */
export function createIgnoredLog(providerName: string, logger: Logger): (parsed: ParsedDelivery) => void {
  const seen = new Set<string>();
  return (parsed) => {
    const type = parsed.type ?? '';
    const first = !seen.has(type) && seen.size < SEEN_LIMIT;
    const fields = { provider: providerName, type, id: parsed.id, outcome: 'ignored' };
    const what = `hookguard (${providerName}): delivery ${parsed.id ?? '(no id)'} of type ${JSON.stringify(type)} ignored: no handler is registered for it (answered 200).`;
    if (first) {
      seen.add(type);
      logger.info(`${what} Later ones of this type are logged at debug level.`, fields);
    } else {
      logger.debug(what, fields);
    }
  };
}
