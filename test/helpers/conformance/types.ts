import type { Receiver } from '../../../src/receiver/types.js';

/** One HTTP request, exactly as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** Path and query, e.g. `/webhooks?attempt=2`. */
  path: string;
  headers: Record<string, string>;
  /** The exact body bytes (empty for none). */
  body: Buffer;
  /**
   * Sent in several writes with no Content-Length (chunked transfer encoding), so a limit can
   * only be decided while streaming. Lambda has no streaming: its event just lacks the header.
   */
  chunked?: boolean;
}

/** What came back, reduced to what every adapter must agree on. */
export interface WireResponse {
  status: number;
  /** `content-type` and `allow`, when present. */
  headers: { 'content-type'?: string; allow?: string };
  body: string;
}

export type Send = (request: WireRequest) => Promise<WireResponse>;

/** One adapter mounted at `/webhooks` through its real framework (or its real calling convention). */
export interface Driver {
  send: Send;
  close(): Promise<void>;
}

export interface AdapterUnderTest {
  name: string;
  start(receiver: Receiver<any>): Promise<Driver>;
}

/** What one response must be; `code` is the `error.code` of a refusal. */
export interface Expectation {
  status: number;
  code?: string;
  /** The whole JSON body. */
  json?: unknown;
  /** The whole body as text (handshakes that echo a token; `''` for none). */
  text?: string;
  headers?: WireResponse['headers'];
}

/** A fresh receiver and the requests to send it, built per adapter (fresh timestamps, own store). */
export interface CaseRun {
  receiver: Receiver<any>;
  /** Sends the case's requests through one adapter; the answers, in the order of `expect`. */
  run(send: Send): Promise<WireResponse[]>;
  /** Throws if the handlers saw something other than the case promises (ran twice, other bytes). */
  verify?(): void;
}

export interface ConformanceCase {
  name: string;
  setup(): CaseRun;
  expect: Expectation[];
}

export const PATH = '/webhooks';
