import express from 'express';
import { expressMiddleware } from 'hookguard/express';
import { DEMO_SECRET, receiver, secret } from './receiver.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const app = express();
// hookguard reads the raw body itself: mount it before (or instead of) express.json() on this path.
app.post('/webhooks', expressMiddleware(receiver));
app.use(express.json());
app.get('/', (_req, res) => {
  res.json({ ok: true, webhooks: 'POST /webhooks' });
});

app.listen(port, host, () => {
  console.log(`hookguard example receiver listening on http://${host}:${port}/webhooks`);
  console.log(secret === DEMO_SECRET ? 'Using the demo Standard Webhooks secret (set WEBHOOK_SECRET to use yours).' : 'Using WEBHOOK_SECRET.');
  console.log('Send it a signed event from another terminal:  npm run send');
  console.log(`  (or: npx tsx examples/send-sample.ts http://${host}:${port}/webhooks)`);
});
