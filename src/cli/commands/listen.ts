import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createReceiver } from '../../receiver/create-receiver.js';
import { KEY_OPTIONS, flag, parse, requireOption, stringOption } from '../args.js';
import { keysFrom } from '../keys.js';
import { DEFAULT_KEEP, History } from '../listen/history.js';
import type { Listener } from '../listen/listener.js';
import { logLine } from '../listen/log-line.js';
import { createListenServer } from '../listen/server.js';
import { EventStream } from '../listen/sse.js';
import { bold, dim, print, yellow } from '../output.js';
import { presetNamed } from '../presets.js';
import { EXIT, UsageError } from '../usage-error.js';

export const LISTEN_HELP = `Usage: hookguard listen --preset <preset> --secret <secret> [--port 4000] [--forward <url>] [options]

A local receiver for the developer loop: point a tunnel (or trigger/send) at it. Every delivery is
verified with the preset, recorded (exact bytes, headers, verdict and error code, timing) and, when
verified, forwarded to your app; your app's answer goes back to the sender and into the record.
The inspector page at http://127.0.0.1:<port>/ shows deliveries live, with replay, copy as curl
and save as a test fixture. Deliveries may be POSTed to any path except / and /_hookguard/.

Options:
  --preset <preset>       the sender (stripe, github, slack, standard-webhooks, …)
  --secret <secret>       the signing secret (repeatable while rotating); also re-signs replays
  --public-key <key>      Ed25519/ECDSA presets (discord, sendgrid): the key to verify with
  --private-key <key>     Ed25519 presets: lets replay re-sign (whsk_… or 64 hex)
  --public-url <url>      the public URL the sender signs (twilio, hubspot; square's notification URL)
  --port <port>           port to listen on (default 4000; 0 picks a free one)
  --host <host>           address to bind (default 127.0.0.1; anything else exposes the inspector)
  --forward <url>         your app's webhook URL, e.g. http://127.0.0.1:3000/webhooks
  --forward-all           forward rejected deliveries too (default: verified only)
  --dir <dir>             where the history and saved fixtures live (default .hookguard)
  --keep <n>              deliveries kept in the history (default ${DEFAULT_KEEP})
  --json                  one JSON line per delivery on stdout instead of text
  -h, --help              this help

Secrets are never written to the history or shown in the page; a header holding one is redacted.
Exit codes: 0 stopped with Ctrl-C, 2 usage error (including a port already in use).`;

export async function listen(argv: string[]): Promise<number> {
  const parsed = parse(argv, { ...KEY_OPTIONS, preset: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, forward: { type: 'string' }, 'forward-all': { type: 'boolean' }, dir: { type: 'string' }, keep: { type: 'string' } });
  if (flag(parsed, 'help')) {
    print(LISTEN_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[0])}; name the sender with --preset.`);
  const preset = presetNamed(requireOption(parsed, 'preset', 'the sender whose signatures to verify, e.g. --preset stripe'));
  const keys = keysFrom(parsed);
  const provider = preset.build(keys);
  const port = integer(stringOption(parsed, 'port') ?? '4000', '--port', 0, 65535);
  const keep = integer(stringOption(parsed, 'keep') ?? String(DEFAULT_KEEP), '--keep', 1, 10_000);
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  const forward = forwardUrl(stringOption(parsed, 'forward'));
  const json = flag(parsed, 'json');
  const warn = (message: string) => process.stderr.write(`${yellow('warning:')} ${message}\n`);
  const history = new History(resolve(stringOption(parsed, 'dir') ?? '.hookguard'), keep, warn);
  const events = new EventStream();
  const receiver = createReceiver({ provider, dedupe: false });
  receiver.onAny(() => {});
  const listener: Listener = {
    preset,
    provider,
    keys,
    receiver,
    history,
    ...(forward !== undefined ? { forward } : {}),
    forwardAll: flag(parsed, 'forward-all'),
    secrets: [...keys.secrets, keys.privateKey].filter((s): s is string => typeof s === 'string' && s !== ''),
    origin: '',
    publish(record, change) {
      events.send('delivery', record);
      print(json ? JSON.stringify({ change, n: record.n, verdict: record.verdict, code: record.code ?? null, type: record.type ?? null, forwarded: record.forwarded?.status ?? null, replay: change === 'replay' ? record.replays.at(-1) : undefined }) : logLine(record, change));
    },
  };
  const server = createListenServer(listener, events);
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use: pick another with --port (or --port 0 for any free one).` : `Cannot listen on ${host}:${port} (${code ?? (error as Error).message}).`);
  }
  const bound = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  listener.origin = `http://${shown}:${bound.port}`;
  const local = listener.origin;
  print(`${bold('hookguard listen')}: ${preset.name} deliveries on ${local}/webhooks ${dim('(any path but / and /_hookguard/)')}`);
  print(`  inspector  ${local}/`);
  print(`  forward    ${forward === undefined ? dim('none (add --forward http://127.0.0.1:3000/webhooks)') : `${forward}${listener.forwardAll ? ' (every delivery)' : ' (verified deliveries)'}`}`);
  print(`  history    ${history.file} (last ${keep}; ${history.all().length} now)`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) warn(`bound to ${host}: anyone who can reach this port can send deliveries, and with a Host of localhost read the history and replay.`);
  return stopped(server, history, events);
}

/** Resolves with exit 0 on Ctrl-C / SIGTERM, after writing the history out. */
async function stopped(server: ReturnType<typeof createListenServer>, history: History, events: EventStream): Promise<number> {
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  history.flush();
  events.close();
  server.closeAllConnections();
  server.close();
  return EXIT.ok;
}

function integer(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
  return value;
}

function forwardUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--forward must be a URL such as http://127.0.0.1:3000/webhooks; got ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--forward must be an http(s) URL; got ${JSON.stringify(text)}.`);
  return url.href;
}
