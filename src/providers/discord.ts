import { pick, pickString } from '../core/body.js';
import { successResult } from '../core/result.js';
import type { ReceiveResult } from '../core/types.js';
import type { SecretInput } from '../crypto/keys.js';
import { ed25519 } from './ed25519.js';
import type { Provider } from './types.js';

export interface DiscordOptions {
  /** The application's public key (64 hex characters, from the Developer Portal); an array while rotating. */
  publicKey: SecretInput | readonly SecretInput[];
  /** Only to sign deliveries in tests (see `generateEd25519KeyPair()`). */
  privateKey?: SecretInput;
  /** Replay window in seconds for `X-Signature-Timestamp` (default 300). */
  toleranceSeconds?: number;
}

const INTERACTION_TYPES: Readonly<Record<number, string>> = {
  1: 'PING',
  2: 'APPLICATION_COMMAND',
  3: 'MESSAGE_COMPONENT',
  4: 'APPLICATION_COMMAND_AUTOCOMPLETE',
  5: 'MODAL_SUBMIT',
};

/**
 * Discord interactions and webhook events: `X-Signature-Ed25519: <hex>` over
 * `${X-Signature-Timestamp}${body}`. The type is the interaction type's name (`APPLICATION_COMMAND`)
 * or, for webhook events, `event.type` (`APPLICATION_AUTHORIZED`). A verified PING is answered
 * itself: an interaction PING with exactly `{"type":1}`, a webhook-event PING with 204.
 *
 * @example
 * const provider = providers.discord({ publicKey: process.env.DISCORD_PUBLIC_KEY! });
 */
export function discord(options: DiscordOptions): Provider {
  return ed25519({
    name: 'discord',
    publicKey: options?.publicKey,
    privateKey: options?.privateKey,
    signatureHeader: 'x-signature-ed25519',
    timestampHeader: 'x-signature-timestamp',
    signedContent: ({ timestamp, body }) => [timestamp as string, body],
    toleranceSeconds: options?.toleranceSeconds,
    locateId: (payload) => pickString(payload, ['id']),
    describe(payload) {
      const type = discordType(payload);
      return type === undefined ? {} : { type };
    },
    handshake: (parsed) => {
      if (isEvent(parsed.payload)) return undefined;
      const type = pick(parsed.payload, ['type']);
      if (type === 1) return successResult({ type: 1 });
      if (type === 0) return noContent();
      return undefined;
    },
    // An interaction's response is the handler's answer; webhook events are acknowledged with
    // 204 and no body whatever the handlers return (Discord's Webhook Events docs).
    expectsReply: (payload) => !isEvent(payload),
    acknowledge: (parsed) => (isEvent(parsed.payload) ? noContent() : undefined),
    signHeaders: () => ({ 'content-type': 'application/json' }),
  });
}

function noContent(): ReceiveResult {
  return { status: 204, headers: {}, body: '' };
}

function isEvent(payload: unknown): boolean {
  const event = pick(payload, ['event']);
  return typeof event === 'object' && event !== null;
}

function discordType(payload: unknown): string | undefined {
  if (isEvent(payload)) return pickString(payload, ['event', 'type']);
  const type = pick(payload, ['type']);
  if (type === 0) return 'PING'; // webhook-event PING
  return typeof type === 'number' ? INTERACTION_TYPES[type] : undefined;
}
