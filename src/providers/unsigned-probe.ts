import type { VerifiedDelivery } from './types.js';

/**
 * Requests a sender makes without signing them, which its preset answers itself and never hands
 * to handlers (Slack's `ssl_check=1`). `verify` marks them; `verifyWebhook` refuses them.
 */
const probes = new WeakSet<VerifiedDelivery>();

/** A delivery carrying nothing of the request: no body bytes, no timestamp, marked as unsigned. */
export function unsignedProbe(headers: VerifiedDelivery['headers']): VerifiedDelivery {
  const probe: VerifiedDelivery = { rawBody: new Uint8Array(0), headers };
  probes.add(probe);
  return probe;
}

export function isUnsignedProbe(verified: VerifiedDelivery): boolean {
  return probes.has(verified);
}
