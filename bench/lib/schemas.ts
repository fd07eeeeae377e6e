import { z } from 'zod';

/** The invoice.paid payload every Standard Webhooks delivery of the benchmarks carries (deliveries.ts jsonBody). */
export const invoicePaid = z.object({
  type: z.literal('invoice.paid'),
  timestamp: z.string(),
  data: z.object({
    object: z.object({
      id: z.string(),
      amount: z.number().int(),
      currency: z.string().length(3),
      items: z.array(z.object({ id: z.string(), qty: z.number().int().positive(), price: z.number().int(), name: z.string() })),
    }),
  }),
});
