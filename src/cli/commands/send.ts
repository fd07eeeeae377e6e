import { headerOptions, KEY_OPTIONS, flag, parse, requireOption, stringOption } from '../args.js';
import { keysFrom } from '../keys.js';
import { print } from '../output.js';
import { presetNamed } from '../presets.js';
import { readInput } from '../read-input.js';
import { report } from '../report.js';
import { EXIT, UsageError } from '../usage-error.js';
import { sendVariant, VARIANT_OPTIONS } from './variants.js';

export const SEND_HELP = `Usage: hookguard send <preset> --url <url> --secret <secret> --data <file|-> [options]

Signs your own payload exactly as the sender would and POSTs it. The bytes are sent as read:
nothing is re-serialised.

Options:
  --url <url>             where to POST
  --secret <secret>       the signing secret
  --private-key <key>     Ed25519 presets: whsk_… or 64 hex
  --public-url <url>      the URL the sender signs (twilio, hubspot) or square's notification URL
  --data <file|->         the body, from a file or stdin (required)
  --type <event>          the event header for senders that send one (github: issues.opened; shopify: orders/create)
  --header 'Name: value'  add or replace a header (repeatable)
  --duplicate | --stale | --tamper   as for trigger
  --json                  print the request and answer as JSON
  -h, --help              this help

Exit codes: 0 answered as expected, 1 another answer, 2 usage error, 3 unreachable.`;

export async function send(argv: string[]): Promise<number> {
  const parsed = parse(argv, { ...KEY_OPTIONS, ...VARIANT_OPTIONS, url: { type: 'string' }, data: { type: 'string' }, type: { type: 'string' }, header: { type: 'string', multiple: true } });
  if (flag(parsed, 'help')) {
    print(SEND_HELP);
    return EXIT.ok;
  }
  const preset = presetNamed(parsed.positionals[0]);
  if (parsed.positionals.length > 1) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[1])}; the payload goes in --data.`);
  const url = requireOption(parsed, 'url', 'the URL to POST to, e.g. --url http://127.0.0.1:3000/webhooks');
  const body = readInput(requireOption(parsed, 'data', 'a payload file, or - for stdin'), '--data');
  const keys = keysFrom(parsed);
  const provider = preset.build(keys);
  const type = stringOption(parsed, 'type');
  const { exchanges, expectation } = await sendVariant(parsed, { preset, provider, keys, body, url, ...(type !== undefined ? { type } : {}), extraHeaders: headerOptions(parsed) }, `${preset.name}${type !== undefined ? ` ${type}` : ''}`);
  return report(exchanges, expectation, flag(parsed, 'json'));
}
