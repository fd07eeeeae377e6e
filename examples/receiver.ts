import { z } from 'zod';
import { createReceiver, providers } from 'hookguard';

/** A throwaway Standard Webhooks secret for local runs only. Set WEBHOOK_SECRET for anything real. */
export const DEMO_SECRET = 'whsec_aG9va2d1YXJkLWRlbW8tc2VjcmV0LWRvLW5vdC11c2U=';

export const secret = process.env.WEBHOOK_SECRET ?? DEMO_SECRET;
export const provider = providers.standardWebhooks({ secret });

/** Two typed events: handlers get payloads of exactly these shapes, or the sender gets a 422. */
export const receiver = createReceiver({
  provider,
  events: {
    'invoice.paid': z.object({
      type: z.literal('invoice.paid'),
      data: z.object({ id: z.string(), amount: z.number().int().nonnegative(), currency: z.string().length(3) }),
    }),
    'customer.created': z.object({
      type: z.literal('customer.created'),
      data: z.object({ id: z.string(), email: z.email() }),
    }),
  },
});

receiver.on('invoice.paid', ({ id, payload }) => {
  console.log(`[hookguard] ${id}: invoice ${payload.data.id} paid, ${payload.data.amount} ${payload.data.currency}`);
});

receiver.on('customer.created', ({ id, payload }) => {
  console.log(`[hookguard] ${id}: new customer ${payload.data.email}`);
});

receiver.onError((error) => {
  console.log(`[hookguard] refused: ${error.status} ${error.code}: ${error.message}`);
});
