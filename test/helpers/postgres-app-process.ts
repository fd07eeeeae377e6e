import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('./postgres-app.ts', import.meta.url));

export interface AppProcess {
  /** `http://127.0.0.1:<port>` for HTTP roles; empty for a worker. */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: a crash, nothing finishes. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `postgres-app.ts` under tsx with `env`; resolves once it prints READY (30 s at most: tsx compiles on start). */
export function startPostgresApp(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', APP], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${env.ROLE} process not ready within 30 s:\n${output}`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code, signal) => fail(new Error(`${env.ROLE} process exited (${code ?? signal}) before READY:\n${output}`)));
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = ready[1] as string;
      resolve({
        url: port === 'worker' ? '' : `http://127.0.0.1:${port}`,
        child,
        kill: () =>
          new Promise<void>((done) => {
            running.delete(child);
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
  });
}
