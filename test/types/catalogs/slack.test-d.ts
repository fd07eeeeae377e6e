import type { AppMentionEvent, GenericMessageEvent, SlackEvent } from '@slack/types';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type SlackBlockActions, type SlackEventCallback, type SlackSlashCommand } from '../../../src/index.js';

const receiver = createReceiver({ provider: providers.slack({ signingSecret: 'secret' }) });

describe('Slack catalog (#16)', () => {
  it('types an Events API event: the envelope around @slack/types\' event', () => {
    receiver.on('app_mention', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<SlackEventCallback<AppMentionEvent>>();
      expectTypeOf(payload.event.text).toEqualTypeOf<string>();
      expectTypeOf(payload.event_id).toEqualTypeOf<string>();
    });
  });

  it('a name with several shapes sees their union (every `message` subtype)', () => {
    receiver.on('message', ({ payload }) => {
      expectTypeOf<GenericMessageEvent>().toExtend<typeof payload.event>();
      if (payload.event.subtype === undefined) expectTypeOf(payload.event.text).toEqualTypeOf<string | undefined>();
    });
  });

  it('slash commands are named by the command; interactivity by its `type`', () => {
    receiver.on('/deploy', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<SlackSlashCommand>();
      expectTypeOf(payload.text).toEqualTypeOf<string>();
    });
    receiver.on('block_actions', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<SlackBlockActions>();
      expectTypeOf(payload.actions[0]?.action_id).toEqualTypeOf<string | undefined>();
    });
    receiver.on('view_submission', ({ payload }) => {
      expectTypeOf(payload.view.state.values).toEqualTypeOf<Record<string, Record<string, unknown>>>();
    });
  });

  it('a misspelt event name does not compile', () => {
    // @ts-expect-error 'app_mentoin' is not a Slack event
    receiver.on('app_mentoin', () => undefined);
    // @ts-expect-error a command starts with '/'
    receiver.on('deploy', () => undefined);
  });

  it('an `events` entry overrides that name', () => {
    const withSchema = createReceiver({
      provider: providers.slack({ signingSecret: 'secret' }),
      events: { '/deploy': z.object({ text: z.enum(['staging', 'production']) }) },
    });
    withSchema.on('/deploy', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ text: 'staging' | 'production' }>();
    });
    withSchema.on('/rollback', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<SlackSlashCommand>();
    });
  });

  it('onAny gets the union', () => {
    receiver.onAny(({ payload }) => {
      expectTypeOf<SlackEventCallback<AppMentionEvent>>().toExtend<typeof payload>();
      expectTypeOf<SlackSlashCommand>().toExtend<typeof payload>();
      expectTypeOf<SlackEventCallback<SlackEvent>>().not.toBeAny();
    });
  });

  it('delivery.id may be undefined: slash commands and interactivity carry no event_id', () => {
    receiver.on('app_mention', ({ id }) => {
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
    });
  });
});
