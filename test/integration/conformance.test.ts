/**
 * Conformance: one table of cases (test/helpers/conformance/cases.ts) run against every adapter
 * through its real framework on 127.0.0.1:0 — Express 5 and 4, node:http, Fastify, Hono on
 * @hono/node-server — and, as their hosts call them, the fetch handler with real `Request`
 * objects and the Lambda handler with API Gateway REST (v1) and HTTP API (v2) events. Each
 * adapter must give each case's expected [status, code] (or body), and every adapter must give
 * the same status, Content-Type, Allow and body, byte for byte, as every other.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../helpers/conformance/adapters.js';
import { CASES } from '../helpers/conformance/cases.js';
import type { Expectation, WireResponse } from '../helpers/conformance/types.js';

/** case name → adapter name → its answers. */
const answers = new Map<string, Map<string, WireResponse[]>>();
let checks = 0;

function expectAnswer(response: WireResponse, expected: Expectation): void {
  if (expected.code !== undefined) {
    const body = JSON.parse(response.body) as { error?: { code?: string; message?: unknown } };
    expect([response.status, body.error?.code]).toEqual([expected.status, expected.code]);
    expect(typeof body.error?.message).toBe('string');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  } else {
    expect(response.status).toBe(expected.status);
  }
  if (expected.json !== undefined) {
    expect(JSON.parse(response.body)).toEqual(expected.json);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  }
  if (expected.text !== undefined) expect(response.body).toBe(expected.text);
  if (expected.headers !== undefined) expect(response.headers).toEqual(expected.headers);
}

describe.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', (name, testCase) => {
  it.each(ADAPTERS.map((adapter) => [adapter.name, adapter] as const))('via %s', async (adapterName, adapter) => {
    const run = testCase.setup();
    const driver = await adapter.start(run.receiver);
    let responses: WireResponse[];
    try {
      responses = await run.run(driver.send);
    } finally {
      await driver.close();
    }
    let byAdapter = answers.get(name);
    if (!byAdapter) answers.set(name, (byAdapter = new Map()));
    byAdapter.set(adapterName, responses);
    expect(responses).toHaveLength(testCase.expect.length);
    testCase.expect.forEach((expected, i) => expectAnswer(responses[i] as WireResponse, expected));
    run.verify?.();
    checks += 1;
  });

  it('answers identically on every adapter (status, Content-Type, Allow, body)', () => {
    const byAdapter = answers.get(name);
    expect([...(byAdapter?.keys() ?? [])]).toEqual(ADAPTERS.map((adapter) => adapter.name));
    const [first, ...rest] = [...(byAdapter ?? new Map<string, WireResponse[]>()).entries()];
    for (const [adapterName, responses] of rest) {
      expect({ adapter: adapterName, responses }).toEqual({ adapter: adapterName, responses: first?.[1] });
    }
  });
});

afterAll(() => {
  console.log(`conformance: ${CASES.length} cases × ${ADAPTERS.length} adapters = ${CASES.length * ADAPTERS.length} checks (${checks} passed)`);
});

it('covers every adapter with every case', () => {
  expect(ADAPTERS.map((adapter) => adapter.name)).toEqual([
    'Express 5',
    'Express 4',
    'node:http',
    'Fastify',
    'Hono (node-server)',
    'fetch (Request)',
    'Lambda REST API (v1)',
    'Lambda HTTP API (v2)',
  ]);
  expect(CASES.length).toBeGreaterThanOrEqual(40);
});
