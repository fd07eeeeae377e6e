/**
 * A pino logger for a receiver: hookguard logs one line per delivery (debug for handled,
 * duplicate and ignored; info for refusals such as a bad signature; error for handler failures
 * and outages; warn for misconfiguration), never a secret or an expected signature. Each handler
 * gets `delivery.log`, pino's `child({ provider, id, type })`, so its lines carry the delivery.
 *
 *   npx tsx examples/pino-logger.ts     then: npm run send -- http://127.0.0.1:3000/webhooks
 */
import express from 'express';
import { createReceiver, providers } from 'hookguard';
import { expressMiddleware } from 'hookguard/express';
import pino from 'pino';
import { DEMO_SECRET } from './receiver.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'debug' });

const receiver = createReceiver({
  provider: providers.standardWebhooks({ secret: process.env.WEBHOOK_SECRET ?? DEMO_SECRET }),
  // pino's methods take (object, message); hookguard calls (message, fields): adapt the order.
  logger: {
    debug: (message, fields) => logger.debug(fields, message),
    info: (message, fields) => logger.info(fields, message),
    warn: (message, fields) => logger.warn(fields, message),
    error: (message, fields) => logger.error(fields, message),
    child: (fields) => {
      const child = logger.child(fields);
      return { debug: (m, f) => child.debug(f, m), info: (m, f) => child.info(f, m), warn: (m, f) => child.warn(f, m), error: (m, f) => child.error(f, m) };
    },
  },
});

receiver.on('invoice.paid', async (delivery) => {
  delivery.log.info('marking the invoice paid'); // {"provider":"standard-webhooks","id":"msg_…","type":"invoice.paid","msg":"marking the invoice paid"}
});

const app = express();
app.post('/webhooks', expressMiddleware(receiver));
app.listen(3000, '127.0.0.1', () => logger.info('listening on http://127.0.0.1:3000/webhooks'));
