import type { Answer, OutgoingRequest } from './deliver.js';
import { bold, dim, green, preview, print, printJson, red } from './output.js';
import { EXIT } from './usage-error.js';

/** What a correct receiver answers: 2xx for a genuine delivery, 4xx for a forged or stale one. */
export type Expectation = 'accept' | 'reject';

export interface Exchange {
  label: string;
  request: OutgoingRequest;
  answer: Answer;
}

export function isExpected(answer: Answer, expectation: Expectation): boolean {
  return expectation === 'accept' ? answer.status >= 200 && answer.status < 300 : answer.status >= 400 && answer.status < 500;
}

/** Prints each exchange and returns the exit code: 0 when every answer was the expected one. */
export function report(exchanges: Exchange[], expectation: Expectation, json: boolean): number {
  const ok = exchanges.every((exchange) => isExpected(exchange.answer, expectation));
  if (json) {
    printJson({
      ok,
      expected: expectation === 'accept' ? '2xx' : '4xx',
      deliveries: exchanges.map(({ label, request, answer }) => ({
        label,
        request: { url: request.url, headers: request.headers, body: request.body.toString('utf8') },
        response: answer,
      })),
    });
  } else {
    for (const { label, request, answer } of exchanges) {
      print(`${bold('→')} POST ${request.url}  ${label}  ${dim(`${request.body.length} bytes`)}`);
      const paint = isExpected(answer, expectation) ? green : red;
      print(`${paint(`← ${answer.status}`)}  ${dim(`${answer.ms} ms`)}  ${preview(answer.body)}`);
    }
    if (!ok) print(red(expectation === 'accept' ? 'The endpoint did not accept a correctly signed delivery (expected 2xx).' : 'The endpoint did not refuse this delivery (expected 4xx): it would accept forged or replayed requests.'));
  }
  return ok ? EXIT.ok : EXIT.unexpected;
}
