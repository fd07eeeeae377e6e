import { normalizeHeaders } from '../core/headers.js';
import type { HeadersLike } from '../core/types.js';
import type { Delivery } from './types.js';

/** A delivery handed to handlers; headers are normalised only if a handler reads them. */
export class ReceivedDelivery implements Delivery {
  private normalized: Record<string, string> | undefined;

  constructor(
    readonly id: string | undefined,
    readonly type: string,
    readonly payload: unknown,
    readonly timestamp: number | undefined,
    private readonly rawHeaders: HeadersLike,
    readonly rawBody: Uint8Array,
    readonly provider: string,
  ) {}

  get headers(): Readonly<Record<string, string>> {
    this.normalized ??= normalizeHeaders(this.rawHeaders);
    return this.normalized;
  }
}
