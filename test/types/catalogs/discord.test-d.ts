import type { APIApplicationCommandInteraction, APIInteraction, APIWebhookEventApplicationAuthorizedData } from 'discord-api-types/v10';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers } from '../../../src/index.js';

const receiver = createReceiver({ provider: providers.discord({ publicKey: 'a'.repeat(64) }) });

describe('Discord catalog (#16)', () => {
  it('types an interaction by the name of its type', () => {
    receiver.on('APPLICATION_COMMAND', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<APIApplicationCommandInteraction>();
      expectTypeOf(payload.data.name).toEqualTypeOf<string>();
      expectTypeOf(payload.id).toEqualTypeOf<string>();
    });
  });

  it('types a webhook event by event.type', () => {
    receiver.on('APPLICATION_AUTHORIZED', ({ payload }) => {
      expectTypeOf(payload.event.data).toEqualTypeOf<APIWebhookEventApplicationAuthorizedData>();
      expectTypeOf(payload.event.data.user.id).toEqualTypeOf<string>();
    });
  });

  it('a misspelt event name does not compile; PING is answered by the preset and is no handler name', () => {
    // @ts-expect-error 'APPLICATION_COMAND' is not a Discord interaction
    receiver.on('APPLICATION_COMAND', () => undefined);
    // @ts-expect-error PING never reaches a handler
    receiver.on('PING', () => undefined);
  });

  it('an `events` entry overrides that name', () => {
    const withSchema = createReceiver({
      provider: providers.discord({ publicKey: 'a'.repeat(64) }),
      events: { MODAL_SUBMIT: z.object({ id: z.string() }) },
    });
    withSchema.on('MODAL_SUBMIT', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ id: string }>();
    });
    withSchema.on('MESSAGE_COMPONENT', ({ payload }) => {
      expectTypeOf(payload.data.custom_id).toEqualTypeOf<string>();
    });
  });

  it('onAny gets the union of interactions and webhook events', () => {
    receiver.onAny(({ payload }) => {
      expectTypeOf<APIApplicationCommandInteraction>().toExtend<typeof payload>();
      expectTypeOf<Exclude<APIInteraction, { type: 1 }>>().toExtend<typeof payload>();
    });
  });
});
