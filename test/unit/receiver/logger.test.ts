import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type Logger } from '../../../src/index.js';
import { githubEventNames, slackEventNames, stripeEventNames } from '../../../src/catalogs/names/index.js';
import { deliver, json, outcome, swh } from './_helpers.js';

/** A logger that records every call as [level, message, fields]. */
function recorder(): Logger & { lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = [];
  const at = (level: string) => (message: string, fields?: unknown) => void lines.push([level, message, fields]);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const github = providers.github({ secret: 'It’s a Secret to Everybody' });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('on(): a name the sender never sends warns once through `logger` (#16 item 3)', () => {
  it('knownEvents: githubEventNames, on("issues.opend") → one warning with the nearest name, however often it is registered', () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: github, knownEvents: githubEventNames, logger });
    receiver.on('issues.opend' as 'issues.opened', () => undefined);
    receiver.on('issues.opend' as 'issues.opened', () => undefined);
    expect(logger.lines).toEqual([
      [
        'warn',
        'hookguard (github): on("issues.opend"): github sends no event of that name (not in knownEvents), so this handler will never run. Did you mean "issues.opened"?',
        { provider: 'github', type: 'issues.opend' },
      ],
    ]);
  });

  it('catalog names, parent names (issues), onAny and names of the events map never warn', () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: github, knownEvents: githubEventNames, logger, events: { 'custom.thing': z.object({}) } });
    receiver.on('issues.opened', () => undefined).on('issues', () => undefined).on('push', () => undefined).on('custom.thing', () => undefined);
    receiver.onAny(() => undefined);
    expect(logger.lines).toEqual([]);
  });

  it('a name far from every known one warns without a suggestion; each distinct name once', () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: providers.stripe({ secret: 'whsec_test' }), knownEvents: stripeEventNames, logger });
    receiver.on('order.shipped' as 'invoice.paid', () => undefined);
    receiver.on('invoice.payed' as 'invoice.paid', () => undefined);
    receiver.on('order.shipped' as 'invoice.paid', () => undefined);
    expect(logger.lines.map(([, message]) => message)).toEqual([
      'hookguard (stripe): on("order.shipped"): stripe sends no event of that name (not in knownEvents), so this handler will never run.',
      'hookguard (stripe): on("invoice.payed"): stripe sends no event of that name (not in knownEvents), so this handler will never run. Did you mean "invoice.paid"?',
    ]);
  });

  it('slack: any slash command is known (/deploy); app_mentoin is not', () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: providers.slack({ signingSecret: 's' }), knownEvents: slackEventNames, logger });
    receiver.on('/deploy', () => undefined).on('app_mention', () => undefined).on('block_actions', () => undefined);
    receiver.on('app_mentoin' as 'app_mention', () => undefined);
    expect(logger.lines.map(([, message]) => message)).toEqual([
      'hookguard (slack): on("app_mentoin"): slack sends no event of that name (not in knownEvents), so this handler will never run. Did you mean "app_mention"?',
    ]);
  });

  it('any Set<string> is a list of known names (your own sender); only the catalogs\' lists suggest a name', () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: swh, knownEvents: new Set(['order.created']), logger });
    receiver.on('order.created', () => undefined).on('order.creatd', () => undefined);
    expect(logger.lines.map(([, message]) => message)).toEqual([
      'hookguard (standard-webhooks): on("order.creatd"): standard-webhooks sends no event of that name (not in knownEvents), so this handler will never run.',
    ]);
  });

  it("on('*') warns even without knownEvents: it is not a wildcard, onAny is", () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: swh, logger });
    receiver.on('*', () => undefined).on('*', () => undefined).on('anything.else', () => undefined);
    expect(logger.lines).toEqual([
      ['warn', "hookguard (standard-webhooks): on('*') is not a wildcard: no delivery has type '*', so this handler will never run. Use receiver.onAny(handler) for every delivery.", { provider: 'standard-webhooks', type: '*' }],
    ]);
  });

  it('default logger: the warning goes to console.warn, message only, once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const receiver = createReceiver({ provider: github, knownEvents: githubEventNames });
    receiver.on('pull_requests' as 'pull_request', () => undefined).on('pull_requests' as 'pull_request', () => undefined);
    expect(warn.mock.calls).toEqual([
      ['hookguard (github): on("pull_requests"): github sends no event of that name (not in knownEvents), so this handler will never run. Did you mean "pull_request"?'],
    ]);
  });

  it('logger: false → nothing reaches the console', () => {
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => undefined));
    const receiver = createReceiver({ provider: github, knownEvents: githubEventNames, logger: false });
    receiver.on('issues.opend' as 'issues.opened', () => undefined).on('*' as 'issues', () => undefined);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('receive(): an `ignored` delivery is logged — first of its type at info, the rest at debug (#16 item 3)', () => {
  it('logs provider, type and id; answers 200 ignored as before', async () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: swh, logger });
    receiver.on('invoice.paid', () => undefined);
    const first = await deliver(receiver, { type: 'invoice.created' }, { id: 'msg_1' });
    await deliver(receiver, { type: 'invoice.created' }, { id: 'msg_2' });
    await deliver(receiver, { type: 'charge.refunded' }, { id: 'msg_3' });
    expect(outcome(first)).toEqual([200, undefined]);
    expect(json(first)).toEqual({ ok: true, ignored: true });
    expect(logger.lines).toEqual([
      [
        'info',
        'hookguard (standard-webhooks): delivery msg_1 of type "invoice.created" ignored: no handler is registered for it (answered 200). Later ones of this type are logged at debug level.',
        { provider: 'standard-webhooks', type: 'invoice.created', id: 'msg_1', outcome: 'ignored' },
      ],
      [
        'debug',
        'hookguard (standard-webhooks): delivery msg_2 of type "invoice.created" ignored: no handler is registered for it (answered 200).',
        { provider: 'standard-webhooks', type: 'invoice.created', id: 'msg_2', outcome: 'ignored' },
      ],
      [
        'info',
        'hookguard (standard-webhooks): delivery msg_3 of type "charge.refunded" ignored: no handler is registered for it (answered 200). Later ones of this type are logged at debug level.',
        { provider: 'standard-webhooks', type: 'charge.refunded', id: 'msg_3', outcome: 'ignored' },
      ],
    ]);
  });

  it('handled and duplicate deliveries get only the per-delivery debug line (#17), no ignored note; the default logger prints nothing for ignored ones', async () => {
    const logger = recorder();
    const receiver = createReceiver({ provider: swh, logger });
    receiver.on('invoice.paid', () => undefined);
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_1' });
    await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_1' });
    expect(logger.lines.map(([level, message]) => [level, message])).toEqual([
      ['debug', 'hookguard: standard-webhooks delivery msg_1 (invoice.paid): ok, 200.'],
      ['debug', 'hookguard: standard-webhooks delivery msg_1 (invoice.paid): duplicate, 200.'],
    ]);

    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => undefined));
    const quiet = createReceiver({ provider: swh });
    expect(json(await deliver(quiet, { type: 'invoice.created' }))).toEqual({ ok: true, ignored: true });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('createReceiver(): logger and knownEvents options are checked at start-up', () => {
  it.each([
    ['logger', {}, 'createReceiver(): `logger` must be a logger with debug, info, warn and error methods (console, pino, winston) or false to log nothing.'],
    ['logger', true, 'createReceiver(): `logger` must be a logger with debug, info, warn and error methods (console, pino, winston) or false to log nothing.'],
    ['knownEvents', ['issues.opened'], "createReceiver(): `knownEvents` must have a has(name) method: a Set<string>, or a list from 'hookguard/catalogs' (githubEventNames, …)."],
  ])('%s: %j → misconfigured naming it', (option, value, message) => {
    expect(() => createReceiver({ provider: swh, [option]: value })).toThrow(expect.objectContaining({ code: 'misconfigured', message }));
  });

  it('console is a logger', () => {
    expect(() => createReceiver({ provider: swh, logger: console })).not.toThrow();
  });
});
