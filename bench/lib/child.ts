/**
 * One contender in a process of its own (forked by `isolated.ts`): its own heap, so it pays for
 * its own garbage collection, and its own JIT state, as in a server verifying one sender's
 * webhooks. Answers `load` (a new delivery), `run` (iterations → ms on the clock) and `exit`.
 */
import { contendersFor, prepare, type BenchContender } from './contenders.js';
import { fromWire, type Scheme, type WireDelivery } from './deliveries.js';
import { runFor, setClock, type Clock } from './harness.js';

type Message =
  | { cmd: 'load'; scheme: Scheme; name: string; delivery: WireDelivery; clock: Clock }
  | { cmd: 'run'; iterations: number }
  | { cmd: 'exit' };

let contender: BenchContender | undefined;
const ready = prepare();

process.on('message', (message: Message) => {
  void handle(message).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});

async function handle(message: Message): Promise<unknown> {
  switch (message.cmd) {
    case 'load': {
      await ready;
      setClock(message.clock);
      contender = contendersFor(message.scheme, fromWire(message.delivery)).find((c) => c.name === message.name);
      if (!contender) throw new Error(`no contender ${message.name}`);
      await contender.run(); // must verify before it is timed
      return { ok: true };
    }
    case 'run':
      if (!contender) throw new Error('run before load');
      return { ms: await runFor(contender, message.iterations) };
    case 'exit':
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}
