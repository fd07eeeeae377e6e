/**
 * hookguard in a Fastify app:    npx tsx examples/fastify-app.ts
 * Then, from another terminal:   npm run send
 */
import Fastify from 'fastify';
import { fastifyPlugin } from 'hookguard/fastify';
import { receiver } from './receiver.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify();

// Registered on its own (never wrapped in fastify-plugin): its raw-body handling stays inside
// its encapsulated context, and every other route keeps Fastify's JSON parser.
await app.register(fastifyPlugin, { receiver, path: '/webhooks' });

app.post('/api/echo', async (request) => ({ echoed: request.body })); // parsed JSON, as usual
app.get('/', async () => ({ ok: true, webhooks: 'POST /webhooks' }));

await app.listen({ port, host });
console.log(`hookguard (Fastify) listening on http://${host}:${port}/webhooks`);
