/** Drives contenders that each live in a child process (`child.ts`), through the same harness. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { toWire, type Delivery, type Scheme } from './deliveries.js';
import type { Clock, Timed } from './harness.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface Remote extends Timed {
  load(delivery: Delivery): Promise<void>;
  close(): Promise<void>;
}

/** `label` names it in results (default `name`); `env` is added to the child's environment. */
export function spawnContender(scheme: Scheme, name: string, clock: Clock, options: { label?: string; env?: Record<string, string> } = {}): Remote {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  let pending: ((reply: Record<string, unknown>) => void) | undefined;
  child.on('message', (reply: Record<string, unknown>) => {
    const resolve = pending;
    pending = undefined;
    resolve?.(reply);
  });
  const ask = (message: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      pending = (reply) => (typeof reply.error === 'string' ? reject(new Error(`${name}: ${reply.error}`)) : resolve(reply));
      child.send(message as object);
    });
  return {
    name: options.label ?? name,
    async load(delivery) {
      await ask({ cmd: 'load', scheme, name, delivery: toWire(delivery), clock });
    },
    async runFor(iterations) {
      return (await ask({ cmd: 'run', iterations })).ms as number;
    },
    async close() {
      await ask({ cmd: 'exit' }).catch(() => undefined);
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
