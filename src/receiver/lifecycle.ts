import { WebhookError } from '../core/errors.js';
import type { CloseOptions } from './types.js';

/**
 * A receiver's shutdown state: how many deliveries are being handled, and whether new ones are
 * still taken. `close()` stops taking them and resolves once the last one has answered.
 */
export class Lifecycle {
  private inFlight = 0;
  private closing = false;
  private readonly drained: (() => void)[] = [];

  /**
   * Runs one delivery (`start` must not throw: an async function), counted in flight until it
   * settles; once closing, answers `refuse(shutting_down)` instead. No async frame of its own:
   * the count drops in a reaction registered before the caller's, so `close()` never resolves
   * while an answer is still on its way.
   */
  run<T>(start: () => Promise<T>, refuse: (error: WebhookError) => T): Promise<T> {
    if (this.closing) return Promise.resolve(refuse(new WebhookError('shutting_down', 'The receiver is shutting down; the sender should retry.')));
    const running = start();
    this.inFlight++;
    running.then(this.leave, this.leave);
    return running;
  }

  private readonly leave = (): void => {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
  };

  get isClosing(): boolean {
    return this.closing;
  }

  close(options: CloseOptions = {}): Promise<boolean> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs <= 2_147_483_647)) {
      throw new WebhookError('misconfigured', `receiver.close(): \`timeoutMs\` must be a number of milliseconds >= 0; got ${String(timeoutMs)}.`);
    }
    this.closing = true;
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(true);
      };
      this.drained.push(done);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const at = this.drained.indexOf(done);
          if (at !== -1) this.drained.splice(at, 1);
          resolve(false);
        }, timeoutMs);
      }
    });
  }
}
