import { randomUUID } from 'node:crypto';
import { signRequest } from 'hookguard/testing';
import { provider } from './receiver.js';

const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/webhooks`;

const event = {
  type: 'invoice.paid',
  data: { id: `in_${randomUUID().slice(0, 8)}`, amount: 4200, currency: 'EUR' },
};
const { headers, body } = signRequest(provider, event);

async function send(label: string, init: RequestInit): Promise<void> {
  const response = await fetch(url, init);
  console.log(`${label}: ${response.status} ${await response.text()}`);
}

await send('signed event      ', { method: 'POST', headers, body });
await send('same event again  ', { method: 'POST', headers, body });
await send('tampered body     ', { method: 'POST', headers, body: JSON.stringify({ ...event, data: { ...event.data, amount: 1 } }) });
