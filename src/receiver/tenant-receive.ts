import { isThenable } from '../core/maybe-async.js';
import { errorResult } from '../core/result.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import { TenantProviders, type TenantProvider } from '../providers/per-tenant.js';
import type { Provider } from '../providers/types.js';
import type { DeliveryTrace } from '../telemetry/delivery-trace.js';
import type { ResolvedOptions } from './options.js';
import { asWebhookError, createPipeline, type Pipeline } from './receive.js';
import type { Router } from './router.js';

/**
 * `receive` for a `perTenant` provider: the tenant's provider first (named by the request,
 * looked up or cached — before any header check or body read, which need its secrets), then
 * the usual pipeline built for it, whose dedupe namespace is the receiver's plus the tenant:
 * two tenants' `evt_1` are two deliveries.
 */
export function tenantReceive(options: ResolvedOptions, router: Router, provider: TenantProvider): (input: DeliveryInput, trace: DeliveryTrace) => Promise<ReceiveResult> {
  const tenants = new TenantProviders(provider);
  const pipelines = new WeakMap<Provider, Pipeline>();

  return async (input, trace) => {
    let pipeline: Pipeline;
    try {
      const tenant = tenants.tenantOf(input);
      trace.tenant(tenant);
      let built = tenants.providerFor(tenant);
      if (isThenable(built)) built = await built;
      pipeline = pipelines.get(built) ?? createPipeline({ ...options, provider: built, namespace: `${options.namespace}:${tenant}`, tenant }, router);
      pipelines.set(built, pipeline);
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError);
      return trace.end(errorResult(webhookError), webhookError);
    }
    return pipeline.receive(input, trace);
  };
}
