import { describe, expectTypeOf, it } from 'vitest';
import { createReceiver, providers, type Provider } from '../../../src/index.js';

/** `delivery.id`'s type for a receiver of `provider`. */
function idOf<P extends Provider<any>>(provider: P) {
  let id!: Parameters<Parameters<ReturnType<typeof createReceiver<undefined, NonNullable<P['~types']>>>['onAny']>[0]>[0]['id'];
  void provider;
  return id;
}

describe('delivery.id typed by preset (#16 item 4)', () => {
  it('string where the sender always sends one, and the preset refuses a delivery without it', () => {
    expectTypeOf(idOf(providers.github({ secret: 's' }))).toEqualTypeOf<string>(); // X-GitHub-Delivery (idRequired)
    expectTypeOf(idOf(providers.stripe({ secret: 's' }))).toEqualTypeOf<string>(); // the event's id (idRequired)
    expectTypeOf(idOf(providers.standardWebhooks({ secret: 'whsec_c2VjcmV0' }))).toEqualTypeOf<string>(); // webhook-id, signed
    expectTypeOf(idOf(providers.svix({ secret: 'whsec_c2VjcmV0' }))).toEqualTypeOf<string>(); // svix-id, signed
    expectTypeOf(idOf(providers.clerk({ secret: 'whsec_c2VjcmV0' }))).toEqualTypeOf<string>();
    expectTypeOf(idOf(providers.resend({ secret: 'whsec_c2VjcmV0' }))).toEqualTypeOf<string>();
    expectTypeOf(idOf(providers.twitch({ secret: 'secret-of-ten+' }))).toEqualTypeOf<string>(); // Twitch-Eventsub-Message-Id, signed
  });

  it('string | undefined where some deliveries carry none', () => {
    expectTypeOf(idOf(providers.slack({ signingSecret: 's' }))).toEqualTypeOf<string | undefined>(); // slash commands, interactivity
    expectTypeOf(idOf(providers.discord({ publicKey: 'a'.repeat(64) }))).toEqualTypeOf<string | undefined>(); // webhook events
    expectTypeOf(idOf(providers.shopify({ secret: 's' }))).toEqualTypeOf<string | undefined>(); // not required by the preset
    expectTypeOf(idOf(providers.hmac({ secret: 's', signatureHeader: 'x-sig' }))).toEqualTypeOf<string | undefined>();
  });

  it('a handler of a typed preset reads delivery.id as a string', () => {
    createReceiver({ provider: providers.stripe({ secret: 's' }) }).on('invoice.paid', ({ id }) => {
      expectTypeOf(id).toEqualTypeOf<string>();
      id.toUpperCase();
    });
  });
});
