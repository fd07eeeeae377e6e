/**
 * SIGTERM mid-delivery (#6): a child process runs an Express server that handles SIGTERM with
 * `receiver.close()` then `server.close()`. A delivery in flight when the signal arrives must
 * finish with 200; one sent after it must get 503 shutting_down (the sender retries it); the
 * process must then exit on its own, cleanly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';

const APP = fileURLToPath(new URL('../helpers/shutdown-app.ts', import.meta.url));
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });

interface Message {
  event: string;
  port?: number;
  id?: string;
  drained?: boolean;
}

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function post(port: number, id: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } });
  const { headers } = provider.sign({ body, id });
  return fetch(`http://127.0.0.1:${port}/webhooks`, { method: 'POST', headers, body }).then(async (response) => ({ status: response.status, body: await response.text() }));
}

describe('SIGTERM with a delivery in flight', () => {
  it('the in-flight delivery finishes with 200, one sent after SIGTERM gets [503, shutting_down], and the process exits 0 (#6)', async () => {
    child = fork(APP, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const events: Message[] = [];
    const waiters: [string, (message: Message) => void][] = [];
    child.on('message', (message: Message) => {
      events.push(message);
      for (const [at, [event, resolve]] of waiters.entries()) {
        if (event === message.event) {
          waiters.splice(at, 1);
          resolve(message);
          break;
        }
      }
    });
    const next = (event: string): Promise<Message> => {
      const seen = events.find((message) => message.event === event);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push([event, resolve]));
    };
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    const { port } = (await next('listening')) as Required<Pick<Message, 'port'>>;
    const inFlight = post(port, 'msg_in_flight');
    expect((await next('handling')).id).toBe('msg_in_flight');

    child.kill('SIGTERM');
    await next('closing');

    const late = await post(port, 'msg_after_sigterm');
    expect([late.status, (JSON.parse(late.body) as { error: { code: string } }).error.code]).toEqual([503, 'shutting_down']);
    expect(events.filter((message) => message.event === 'drained')).toEqual([]); // still waiting for the one in flight

    child.send('release');
    const answered = await inFlight;
    expect([answered.status, JSON.parse(answered.body)]).toEqual([200, { handled: 'msg_in_flight' }]);
    expect((await next('drained')).drained).toBe(true);
    await next('closed');
    expect(await exited).toBe(0);
    expect(events.filter((message) => message.event === 'handling').map((message) => message.id)).toEqual(['msg_in_flight']);
  }, 60_000);
});
