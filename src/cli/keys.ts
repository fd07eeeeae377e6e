import { listOption, stringOption, type Parsed } from './args.js';
import type { PresetKeys } from './presets.js';

/** --secret (repeatable), --public-key (repeatable), --private-key, --public-url from the command line. */
export function keysFrom(parsed: Parsed): PresetKeys {
  const privateKey = stringOption(parsed, 'private-key');
  const url = stringOption(parsed, 'public-url');
  return {
    secrets: listOption(parsed, 'secret').filter((secret) => secret !== ''),
    publicKeys: listOption(parsed, 'public-key'),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(url !== undefined ? { url } : {}),
  };
}
