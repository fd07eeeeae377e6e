/**
 * The load generator, in a process of its own: autocannon against one case, printing one JSON
 * line { requestsPerSec, p99, p50, non2xx, errors, total }. Usage:
 *   load.ts <url> <requestKind> <seconds> <connections>
 * Forked with no arguments (bench/e2e.ts), it stays up and runs one load per IPC message
 * `{ url, kind, seconds, connections }`, answering each with that line's object: the end-to-end
 * benchmark measures in slices of a second, which a new process per slice would not allow.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { jsonBody, makeDelivery, secrets } from '../lib/deliveries.js';
import { createHmac } from 'node:crypto';
import { BODY_BYTES, type RequestKind } from './cases.js';

export interface LoadRequest {
  url: string;
  kind: RequestKind;
  seconds: number;
  connections: number;
}

export interface LoadReport {
  requestsPerSec: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
  total: number;
}

function signedStandard(prefix: 'webhook' | 'svix', body: Buffer): Record<string, string> {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secrets.standardWebhooksKey).update(`${id}.${ts}.`).update(body).digest('base64');
  return { 'content-type': 'application/json', [`${prefix}-id`]: id, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: `v1,${signature}` };
}

/**
 * The request of each kind, signed anew once a minute (a new one per request for `swh-unique`):
 * a loader serving a whole run must not send a timestamp older than the receivers' 5-minute window.
 */
const prepared = new Map<RequestKind, { options: Partial<autocannon.Options>; signedAt: number }>();
const RESIGN_AFTER_MS = 60_000;

function requestOf(kind: RequestKind): Partial<autocannon.Options> {
  let entry = prepared.get(kind);
  if (entry === undefined || Date.now() - entry.signedAt > RESIGN_AFTER_MS) {
    entry = { options: signedRequest(kind), signedAt: Date.now() };
    prepared.set(kind, entry);
  }
  return entry.options;
}

function signedRequest(kind: RequestKind): Partial<autocannon.Options> {
  const options: Partial<autocannon.Options> = {};
  switch (kind) {
    case 'swh-fixed':
    case 'github-fixed': {
      const d = makeDelivery(kind === 'swh-fixed' ? 'standardWebhooks' : 'github', BODY_BYTES);
      Object.assign(options, { headers: d.headers, body: d.body });
      break;
    }
    case 'svix-fixed': {
      const body = jsonBody(BODY_BYTES, { type: 'invoice.paid', timestamp: new Date().toISOString() });
      Object.assign(options, { headers: signedStandard('svix', body), body });
      break;
    }
    case 'swh-unique': {
      const body = jsonBody(BODY_BYTES, { type: 'invoice.paid', timestamp: new Date().toISOString() });
      options.requests = [
        {
          setupRequest: (request) => {
            request.headers = signedStandard('webhook', body);
            request.body = body;
            return request;
          },
        },
      ];
      break;
    }
  }
  return options;
}

export async function runLoad(request: LoadRequest): Promise<LoadReport> {
  const { url, kind, seconds, connections } = request;
  const result = await autocannon({ url, method: 'POST', duration: seconds, connections, pipelining: 1, ...requestOf(kind) });
  const elapsed = result.duration; // seconds
  return {
    requestsPerSec: result.requests.total / elapsed,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

const [url, kind, seconds, connections] = process.argv.slice(2) as [string | undefined, RequestKind, string, string];
if (url !== undefined) {
  process.stdout.write(`${JSON.stringify(await runLoad({ url, kind, seconds: Number(seconds), connections: Number(connections) }))}\n`);
} else if (process.send !== undefined) {
  process.on('message', (request: LoadRequest) => {
    runLoad(request).then(
      (report) => process.send?.(report),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
