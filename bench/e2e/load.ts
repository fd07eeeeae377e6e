/**
 * The end-to-end load generator, in a process of its own for the whole run (forked by
 * bench/e2e.ts): one autocannon load per IPC message `{ url, bodyBytes, seconds, connections }`,
 * answered with a LoadReport. It sends one signed Standard Webhooks delivery, signed anew every
 * minute so that a long run stays inside the receivers' 5-minute window.
 */
import autocannon from 'autocannon';
import { makeDelivery } from '../lib/deliveries.js';

export interface LoadRequest {
  url: string;
  bodyBytes: number;
  seconds: number;
  connections: number;
}

export interface LoadReport {
  requestsPerSec: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

let signed: { headers: Record<string, string>; body: Buffer; at: number } | undefined;

async function runLoad({ url, bodyBytes, seconds, connections }: LoadRequest): Promise<LoadReport> {
  if (signed === undefined || Date.now() - signed.at > 60_000) signed = { ...makeDelivery('standardWebhooks', bodyBytes), at: Date.now() };
  const result = await autocannon({ url, method: 'POST', duration: seconds, connections, headers: signed.headers, body: signed.body });
  return {
    requestsPerSec: result.requests.total / result.duration,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

process.on('message', (request: LoadRequest) => {
  runLoad(request).then(
    (report) => process.send?.(report),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
