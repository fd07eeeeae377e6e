import { Buffer } from 'node:buffer';
import { providers, type DeliveryInput, type Provider, type ReceiveResult } from '../../../src/index.js';
import { signRequest, type SignRequestOptions } from '../../../src/testing/index.js';

/** A fixed clock: every delivery is signed and received at this instant unless a test says otherwise. */
export const NOW = 1_700_000_000;

export const SECRET_BYTES = Buffer.from('hookguard-test-secret-32-bytes!!');
export const SECRET = `whsec_${SECRET_BYTES.toString('base64')}`;

export const swh = providers.standardWebhooks({ secret: SECRET });

/** Signs `payload` for `provider` at NOW (or options.timestamp) and receives it at NOW (or `now`). */
export function deliver(
  receiver: { receive(input: DeliveryInput): Promise<ReceiveResult>; readonly provider: Provider },
  payload: unknown,
  options: SignRequestOptions & { now?: number } = {},
): Promise<ReceiveResult> {
  const { now = NOW, ...signOptions } = options;
  const signed = signRequest(receiver.provider, payload, { timestamp: NOW, ...signOptions });
  return receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body, now });
}

/** `[status, error code]` of a refusal, or `[status, undefined]` of a success. */
export function outcome(result: ReceiveResult): [number, string | undefined] {
  return [result.status, errorCode(result)];
}

export function errorCode(result: ReceiveResult): string | undefined {
  const body: unknown = result.headers['content-type']?.startsWith('application/json') ? JSON.parse(result.body) : undefined;
  return (body as { error?: { code?: string } } | undefined)?.error?.code;
}

export function json(result: ReceiveResult): unknown {
  return JSON.parse(result.body);
}

/** A promise and the function that resolves it, for tests that coordinate concurrent handlers. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
