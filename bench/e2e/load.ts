/**
 * The load generator, in a process of its own: autocannon against one case, printing one JSON
 * line { requestsPerSec, p99, p50, non2xx, errors, total }. Usage (forked by bench/e2e.ts):
 *   load.ts <url> <requestKind> <seconds> <connections>
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { jsonBody, makeDelivery, secrets } from '../lib/deliveries.js';
import { createHmac } from 'node:crypto';
import { BODY_BYTES, type RequestKind } from './cases.js';

const [url, kind, seconds, connections] = process.argv.slice(2) as [string, RequestKind, string, string];

function signedStandard(prefix: 'webhook' | 'svix', body: Buffer): Record<string, string> {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secrets.standardWebhooksKey).update(`${id}.${ts}.`).update(body).digest('base64');
  return { 'content-type': 'application/json', [`${prefix}-id`]: id, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: `v1,${signature}` };
}

const options: autocannon.Options = { url, method: 'POST', duration: Number(seconds), connections: Number(connections), pipelining: 1 };
switch (kind) {
  case 'swh-fixed': {
    const d = makeDelivery('standardWebhooks', BODY_BYTES);
    Object.assign(options, { headers: d.headers, body: d.body });
    break;
  }
  case 'svix-fixed': {
    const body = jsonBody(BODY_BYTES, { type: 'invoice.paid', timestamp: new Date().toISOString() });
    Object.assign(options, { headers: signedStandard('svix', body), body });
    break;
  }
  case 'github-fixed': {
    const d = makeDelivery('github', BODY_BYTES);
    Object.assign(options, { headers: d.headers, body: d.body });
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

const result = await autocannon(options);
const elapsed = result.duration; // seconds
process.stdout.write(
  `${JSON.stringify({
    requestsPerSec: result.requests.total / elapsed,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  })}\n`,
);
