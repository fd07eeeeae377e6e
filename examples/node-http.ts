/**
 * hookguard on a bare node:http server:  npx tsx examples/node-http.ts
 * Then, from another terminal:           npm run send
 */
import { createServer } from 'node:http';
import { nodeHandler } from 'hookguard/node';
import { receiver } from './receiver.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// With `path`, any other path answers 404; on the path, anything but POST answers 405.
const webhooks = nodeHandler(receiver, { path: '/webhooks' });

createServer((req, res) => {
  if (req.url === '/' && req.method === 'GET') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, webhooks: 'POST /webhooks' }));
    return;
  }
  webhooks(req, res); // call it before anything reads the request body
}).listen(port, host, () => {
  console.log(`hookguard (node:http) listening on http://${host}:${port}/webhooks`);
});
