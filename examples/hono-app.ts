/**
 * hookguard in a Hono app on Node:  npx tsx examples/hono-app.ts
 * Then, from another terminal:      npm run send
 *
 * The same `app` runs unchanged on Bun (`export default app`), Deno (`Deno.serve(app.fetch)`)
 * and Cloudflare Workers (`export default app`).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { fetchHandler } from 'hookguard/fetch';
import { receiver } from './receiver.js';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';

const handle = fetchHandler(receiver); // build it once, not per request

const app = new Hono();
// Hand over the untouched Request: no validator and no c.req.json() on this route.
// app.all (rather than app.post) lets hookguard answer other methods with 405 + Allow: POST.
app.all('/webhooks', (c) => handle(c.req.raw));
app.post('/api/echo', async (c) => c.json({ echoed: await c.req.json() })); // the rest of the app parses as usual
app.get('/', (c) => c.json({ ok: true, webhooks: 'POST /webhooks' }));

serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(`hookguard (Hono on @hono/node-server) listening on http://${hostname}:${info.port}/webhooks`);
});

export default app;
