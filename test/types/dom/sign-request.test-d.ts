/**
 * Compiled with lib DOM (test/types/dom/tsconfig.json, in `npm run typecheck`) as a browser-ish
 * or Next.js project is: what signRequest() returns must go straight into fetch (#13 item 11).
 * Under DOM, BodyInit takes `Uint8Array<ArrayBuffer>` but not `Uint8Array<ArrayBufferLike>`.
 */
import { expectTypeOf, it } from 'vitest';
import { providers } from '../../../src/index.js';
import { signRequest } from '../../../src/testing/index.js';

const provider = providers.standardWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

it('signRequest().body and .headers are a valid fetch RequestInit under lib DOM', () => {
  const fromObject = signRequest(provider, { type: 'invoice.paid' });
  const fromBytes = signRequest(provider, new TextEncoder().encode('{"type":"invoice.paid"}'));
  const init: RequestInit = { method: 'POST', headers: fromObject.headers, body: fromObject.body };
  const bytesInit: RequestInit = { method: 'POST', headers: fromBytes.headers, body: fromBytes.body };
  expectTypeOf(init).toEqualTypeOf<RequestInit>();
  expectTypeOf(bytesInit.body).toEqualTypeOf<RequestInit['body']>();
  expectTypeOf(fromBytes.body).toEqualTypeOf<string | Uint8Array<ArrayBuffer>>();
});
