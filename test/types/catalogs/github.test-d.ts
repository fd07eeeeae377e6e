import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createReceiver, providers, type EventType, type GitHubEvents } from '../../../src/index.js';

const receiver = createReceiver({ provider: providers.github({ secret: 'It’s a Secret to Everybody' }) });

describe('GitHub catalog (#16)', () => {
  // Exact at the @octokit/openapi-webhooks-types version @octokit/webhooks pins (our devDependency matches it).
  it('accepts exactly octokit\'s emitter event names, parents included', () => {
    expectTypeOf<EventType<undefined, GitHubEvents>>().toEqualTypeOf<EmitterWebhookEventName>();
  });

  it('types a field of a specific event: payload.issue.number is a number in issues.opened', () => {
    receiver.on('issues.opened', ({ payload, type }) => {
      expectTypeOf(payload.issue.number).toEqualTypeOf<number>();
      expectTypeOf(payload.action).toEqualTypeOf<'opened'>();
      expectTypeOf(type).toEqualTypeOf<'issues.opened'>();
    });
  });

  it('a misspelt event name or payload field does not compile', () => {
    // @ts-expect-error 'issues.opend' is not a GitHub event
    receiver.on('issues.opend', () => undefined);
    receiver.on('issues.opened', ({ payload }) => {
      // @ts-expect-error an issue has `number`, not `nubmer`
      void payload.issue.nubmer;
    });
  });

  it('a parent name sees the union of its children, as octokit types it', () => {
    receiver.on('issues', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<EmitterWebhookEvent<'issues'>['payload']>();
      expectTypeOf(payload.action).toEqualTypeOf<EmitterWebhookEvent<'issues'>['payload']['action']>();
      expectTypeOf<'opened' | 'closed' | 'labeled'>().toExtend<typeof payload.action>();
      if (payload.action === 'labeled') expectTypeOf(payload.label).not.toBeAny();
    });
  });

  it('an `events` entry overrides that name; the other names stay typed from the catalog', () => {
    const withSchema = createReceiver({
      provider: providers.github({ secret: 's' }),
      events: { 'issues.opened': z.object({ issue: z.object({ number: z.number(), title: z.string() }) }) },
    });
    withSchema.on('issues.opened', ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ issue: { number: number; title: string } }>();
    });
    withSchema.on('pull_request.opened', ({ payload }) => {
      expectTypeOf(payload.pull_request.number).toEqualTypeOf<number>();
    });
    // @ts-expect-error still only GitHub's names (and the schemas' own)
    withSchema.on('pull_request.opend', () => undefined);
  });

  it('onAny gets the union of every payload', () => {
    receiver.onAny(({ payload }) => {
      expectTypeOf<EmitterWebhookEvent<'issues.opened'>['payload']>().toExtend<typeof payload>();
      expectTypeOf<EmitterWebhookEvent<'push'>['payload']>().toExtend<typeof payload>();
      // @ts-expect-error a push has no `issue`: narrow first
      void payload.issue;
      if ('issue' in payload) expectTypeOf(payload.issue).not.toBeAny();
    });
  });

  it('delivery.id is a string: GitHub always sends X-GitHub-Delivery', () => {
    receiver.on('push', ({ id, payload }) => {
      expectTypeOf(id).toEqualTypeOf<string>();
      expectTypeOf(payload.ref).toEqualTypeOf<string>();
    });
  });
});
