// The receiver every runtime serves: bundled by esbuild for Bun, Deno and workerd (runtimes.test.ts).
import { createReceiver } from '../../src/index.js';
import { fetchHandler } from '../../src/adapters/fetch.js';
import { slack, standardWebhooks } from '../../src/providers/presets.js';

export const SWH_SECRET = 'whsec_aG9va2d1YXJkLXJ1bnRpbWVzLXNlY3JldC0zMiEh';
export const SLACK_SECRET = 'slack-runtime-secret';
export const MAX_BODY_BYTES = 4096;

const events = createReceiver({ provider: standardWebhooks({ secret: SWH_SECRET }), maxBodyBytes: MAX_BODY_BYTES });
events.on('invoice.paid', () => undefined);
const handshakes = createReceiver({ provider: slack({ signingSecret: SLACK_SECRET }) });
handshakes.onAny(() => undefined);

const routes: Record<string, (request: Request) => Promise<Response>> = { '/events': fetchHandler(events), '/slack': fetchHandler(handshakes) };

export function handle(request: Request): Promise<Response> {
  const route = routes[new URL(request.url).pathname];
  return route ? route(request) : Promise.resolve(new Response('not found', { status: 404 }));
}
