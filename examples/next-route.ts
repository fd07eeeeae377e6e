/**
 * A Next.js App Router route handler: save as `app/api/webhooks/route.ts`
 * (with `receiver.ts` as e.g. `lib/webhooks.ts`). Senders POST to /api/webhooks.
 *
 * Next.js passes the untouched Request: don't call request.json()/text() before hookguard, and
 * don't read the body in middleware.ts for this path. Any other method gets Next's own 405.
 */
import { fetchHandler } from 'hookguard/fetch';
import { receiver } from './receiver.js';

export const POST = fetchHandler(receiver);

// node:crypto is used for verification: run on the Node.js runtime (the default), never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
