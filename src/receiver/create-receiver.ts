import { requireRawBody } from '../core/raw-body-input.js';
import { errorResult } from '../core/result.js';
import { memoryStore } from '../stores/memory.js';
import { parseOptions } from './options.js';
import { hasBodySource } from './read-body.js';
import { Lifecycle } from './lifecycle.js';
import { PIPELINE } from './pipeline.js';
import { asWebhookError, createPipeline } from './receive.js';
import { Router } from './router.js';
import { createNameCheck } from './name-check.js';
import type { Provider, ProviderTypes } from '../providers/types.js';
import type { EventSchemas, Handler, Receiver, ReceiverOptions } from './types.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { isTenantProvider } from '../providers/per-tenant.js';
import { tenantReceive } from './tenant-receive.js';

/**
 * Builds the whole pipeline once: options are checked here (a wrong one throws `misconfigured`
 * naming it), so a request never meets a configuration error.
 *
 * @example
 * const receiver = createReceiver({
 *   provider: providers.standardWebhooks({ secret: process.env.WEBHOOK_SECRET! }),
 *   events: { 'invoice.paid': z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string() }) }) },
 * });
 * receiver.on('invoice.paid', async ({ payload }) => { await markPaid(payload.data.id) });
 * app.post('/webhooks', expressMiddleware(receiver));
 */
export function createReceiver<const E extends EventSchemas | undefined = undefined, T extends ProviderTypes = ProviderTypes>(options: ReceiverOptions<E, T>): Receiver<E, T> {
  const resolved = parseOptions(options, () => memoryStore());
  const router = new Router();
  const pipeline = createPipeline(resolved, router);
  const lifecycle = new Lifecycle();
  const checkName = createNameCheck(resolved.provider.name, resolved.knownEvents, resolved.events, resolved.logger);
  const tenants = isTenantProvider(resolved.provider);
  const receiveOne = tenants ? tenantReceive(resolved, router, resolved.provider as never) : pipeline.receive;
  const telemetry = new Telemetry(resolved.provider.name, resolved.logger, resolved.openTelemetry);

  const receiver: Receiver<E, T> = {
    on(type, handler) {
      checkName(type);
      router.on(type, handler as never);
      return receiver;
    },
    onAny(handler) {
      router.onAny(handler as Handler);
      return receiver;
    },
    onError(handler) {
      router.onError(handler);
      return receiver;
    },
    onDelivery(listener) {
      telemetry.onDelivery(listener);
      return receiver;
    },
    // pipeline.receive answers every failure itself and never rejects.
    receive(input) {
      try {
        // A function is an adapter's body source, read on demand after the header checks.
        if (!hasBodySource(input)) requireRawBody(input, 'receiver.receive()');
      } catch (error) {
        return Promise.resolve(receiver.fail(error));
      }
      return lifecycle.run(() => telemetry.run(input, receiveOne), (refusal) => receiver.fail(refusal));
    },
    close: (closeOptions) => lifecycle.close(closeOptions),
    maxBodyBytes: resolved.maxBodyBytes,
    bodyTimeoutMs: resolved.bodyTimeoutMs,
    provider: resolved.provider as Provider<T>,
    fail(error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError);
      return telemetry.refused(errorResult(webhookError), webhookError);
    },
  };
  // Not enumerable and not in the type: only hookguard's own hand-off (`hookguard/queue`) reaches it.
  // Not for per-tenant secrets yet: a queued job would need its tenant's namespace and secrets.
  if (!tenants) Object.defineProperty(receiver, PIPELINE, { value: pipeline });
  return receiver;
}
