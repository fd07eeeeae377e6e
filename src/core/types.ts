/** Headers in any shape a host hands them over: Node's object, fetch `Headers`, a record, pairs. */
export type HeadersLike =
  | Headers
  | Record<string, string | readonly string[] | number | undefined>
  | Iterable<readonly [string, string]>;

/** The raw body: the exact bytes received. A string is taken as its UTF-8 bytes. */
export type BodyLike = Uint8Array | string;

/** What an adapter hands the pipeline: one HTTP request as plain data. */
export interface DeliveryInput {
  method?: string;
  url?: string;
  headers: HeadersLike;
  body: BodyLike;
  /** Current time in unix seconds; defaults to the clock. Tests inject it. */
  now?: number;
}

/** What every answer is: adapters copy it onto the wire without deciding anything. */
export interface ReceiveResult {
  status: number;
  headers: Record<string, string>;
  /** Serialised body, ready to send (JSON unless `headers['content-type']` says otherwise). */
  body: string;
}
