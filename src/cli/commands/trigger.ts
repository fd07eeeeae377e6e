import { headerOptions, KEY_OPTIONS, flag, listOption, parse, requireOption, stringOption } from '../args.js';
import { keysFrom } from '../keys.js';
import { applyOverride } from '../override.js';
import { print, printJson } from '../output.js';
import { presetNamed, PRESETS } from '../presets.js';
import { readJsonObject } from '../read-input.js';
import { report } from '../report.js';
import { loadSample, sampleEvents } from '../samples.js';
import { profileOf } from '../sender-profile.js';
import { EXIT, UsageError } from '../usage-error.js';
import { sendVariant, VARIANT_OPTIONS } from './variants.js';

export const TRIGGER_HELP = `Usage: hookguard trigger <preset> <event> --url <url> --secret <secret> [options]
       hookguard trigger <preset> --list

Sends a realistic sample delivery of <event>, signed exactly as the sender signs it.

Options:
  --url <url>             where to POST (your app, e.g. http://127.0.0.1:3000/webhooks)
  --secret <secret>       the signing secret (repeat to sign with the first, as while rotating)
  --private-key <key>     Ed25519 presets (discord, standard-webhooks v1a): whsk_… or 64 hex
  --public-url <url>      the URL the sender signs (twilio, hubspot) or square's notification URL
  --override <path=value> change a field: data.object.amount=500 (value parsed as JSON if it can be)
  --data <file|->         the payload from a JSON file or stdin instead of the sample
  --header 'Name: value'  add or replace a header (repeatable)
  --duplicate             send the same delivery twice (same id and signature)
  --stale                 sign with a timestamp outside the replay window (expects 4xx)
  --tamper                change one body byte after signing (expects 4xx)
  --list                  list the events this preset has samples for
  --json                  print the request and answer as JSON
  -h, --help              this help

Exit codes: 0 answered as expected (2xx; 4xx for --stale/--tamper), 1 another answer,
            2 usage error, 3 the URL could not be reached.`;

export async function trigger(argv: string[]): Promise<number> {
  const parsed = parse(argv, { ...KEY_OPTIONS, ...VARIANT_OPTIONS, url: { type: 'string' }, override: { type: 'string', multiple: true }, data: { type: 'string' }, header: { type: 'string', multiple: true }, list: { type: 'boolean' } });
  if (flag(parsed, 'help')) return help();
  const preset = presetNamed(parsed.positionals[0]);
  if (flag(parsed, 'list')) return list(preset.name, flag(parsed, 'json'));
  const event = parsed.positionals[1];
  if (event === undefined) throw new UsageError(`Name an event: hookguard trigger ${preset.name} <event> (see --list).`);
  if (parsed.positionals.length > 2) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[2])}.`);
  const sample = loadSample(preset.name, event);
  const url = requireOption(parsed, 'url', 'the URL to POST to, e.g. --url http://127.0.0.1:3000/webhooks');
  const keys = keysFrom(parsed);
  const provider = preset.build(keys);
  const profile = profileOf(preset.name);
  const data = stringOption(parsed, 'data');
  const payload = data !== undefined ? readJsonObject(data, '--data') : sample.payload;
  if (data === undefined) profile.freshen?.(payload, Math.floor(Date.now() / 1000));
  for (const assignment of listOption(parsed, 'override')) applyOverride(payload, assignment);
  const body = sample.form ? formBody(payload) : JSON.stringify(payload, null, profile.indent);
  const { exchanges, expectation } = await sendVariant(parsed, { preset, provider, keys, body, url, type: event, extraHeaders: headerOptions(parsed) }, `${preset.name} ${event}`);
  return report(exchanges, expectation, flag(parsed, 'json'));
}

function list(preset: string, json: boolean): number {
  const events = sampleEvents(preset);
  if (json) printJson({ preset, events });
  else if (events.length === 0) print(`No samples for ${preset}. Presets with samples: ${PRESETS.filter((p) => sampleEvents(p.name).length > 0).map((p) => p.name).join(', ')}.`);
  else for (const event of events) print(event);
  return EXIT.ok;
}

function formBody(payload: Record<string, unknown>): string {
  const fields: [string, string][] = Object.entries(payload).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]);
  return new URLSearchParams(fields).toString();
}

function help(): number {
  print(TRIGGER_HELP);
  return EXIT.ok;
}
