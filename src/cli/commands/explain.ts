import { flag, KEY_OPTIONS, parse, requireOption, stringOption } from '../args.js';
import { diagnose, type Diagnosis } from '../explain/diagnose.js';
import { readCapturedRequest, type CapturedRequest } from '../explain/parse-request.js';
import { keysFrom } from '../keys.js';
import { bold, dim, green, print, printJson, red, yellow } from '../output.js';
import { presetNamed } from '../presets.js';
import { EXIT, UsageError } from '../usage-error.js';

export const EXPLAIN_HELP = `Usage: hookguard explain <preset> --secret <secret> [--secret <other>] --request <file> [options]

Reads a captured request and says whether it verifies and, if not, why: which secret verifies,
whether the body was re-serialised or gained/lost a trailing newline or CR, how far the timestamp
is outside the window, whether the signature header belongs to another preset, whether the secret
was passed with/without its whsec_ prefix or decoded the wrong way, and for senders that sign the
URL (twilio, hubspot, square) the URL that would verify.

The request file may be raw HTTP as sent ("POST /webhooks HTTP/1.1", headers, blank line, body),
a HAR file or entry (browser devtools, mitmproxy, Charles) or a curl command line.

Options:
  --request <file>        the captured request (required)
  --secret <secret>       a signing secret; repeat to find which of several verifies
  --public-key <key>      Ed25519/ECDSA presets (discord, sendgrid, standard-webhooks v1a)
  --public-url <url>      the public URL the sender calls (twilio, hubspot) or square's notification URL
  --now <time>            check the timestamp against this clock (unix seconds or ISO 8601);
                          default: the HAR's startedDateTime, else the current time
  --entry <n>             which HAR entry (default 0)
  --json                  print the diagnosis as JSON
  -h, --help              this help

Exit codes: 0 verifies, 1 does not verify (the cause is printed), 2 usage error.`;

export async function explain(argv: string[]): Promise<number> {
  const parsed = parse(argv, { ...KEY_OPTIONS, request: { type: 'string' }, now: { type: 'string' }, entry: { type: 'string' } });
  if (flag(parsed, 'help')) {
    print(EXPLAIN_HELP);
    return EXIT.ok;
  }
  const preset = presetNamed(parsed.positionals[0]);
  const entry = Number(stringOption(parsed, 'entry') ?? '0');
  if (!Number.isInteger(entry) || entry < 0) throw new UsageError('--entry must be a HAR entry index (0, 1, …).');
  const keys = keysFrom(parsed);
  if (keys.secrets.length === 0 && keys.publicKeys.length === 0 && keys.privateKey === undefined) throw new UsageError(`explain needs the key the receiver verifies with: --secret (or --public-key for ${preset.name === 'discord' || preset.name === 'sendgrid' ? preset.name : 'Ed25519 presets'}).`);
  const nowOption = parseNow(stringOption(parsed, 'now'));
  const request = readCapturedRequest(requireOption(parsed, 'request', 'the captured request: raw HTTP, a HAR file or a curl command'), entry);
  const { now, clock } = clockOf(nowOption, request);
  const diagnosis = diagnose(preset, keys, request, now);
  if (flag(parsed, 'json')) printJson({ ...diagnosis, request: { format: request.format, method: request.method, url: request.url, bytes: request.body.length }, now });
  else printDiagnosis(diagnosis, request, now, clock);
  return diagnosis.verified ? EXIT.ok : EXIT.unexpected;
}

function parseNow(option: string | undefined): number | undefined {
  if (option === undefined) return undefined;
  const seconds = /^\d+$/.test(option) ? Number(option) : Date.parse(option) / 1000;
  if (!Number.isFinite(seconds)) throw new UsageError(`--now must be unix seconds or an ISO 8601 time; got ${JSON.stringify(option)}.`);
  return Math.floor(seconds);
}

function clockOf(option: number | undefined, request: CapturedRequest): { now: number; clock: string } {
  if (option !== undefined) return { now: option, clock: '--now' };
  if (request.capturedAt !== undefined) return { now: request.capturedAt, clock: "the HAR entry's startedDateTime" };
  return { now: Math.floor(Date.now() / 1000), clock: 'the current time' };
}

function printDiagnosis(d: Diagnosis, request: CapturedRequest, now: number, clock: string): void {
  const source = { http: 'raw HTTP', har: 'HAR entry', curl: 'curl command' }[request.format];
  if (d.verified) {
    const which = d.secretIndex !== undefined ? ` with secret #${d.secretIndex}` : '';
    print(`${green('✓ verified')}  ${bold(d.preset)}${which}`);
  } else {
    print(`${red('✗ does not verify')}  ${bold(d.preset)}: ${d.code} (${d.message})`);
  }
  for (const cause of d.causes) print(`  ${yellow(`${cause.kind}:`)} ${cause.message}`);
  print(dim(`  read ${request.method} ${request.url} (${source}, ${request.body.length} bytes), clock ${new Date(now * 1000).toISOString()} (${clock})`));
}
