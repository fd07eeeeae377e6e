import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { BIN, ROOT } from './cli.js';

export interface RunningListen {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Where senders POST: <origin>/webhooks */
  url: string;
  output(): string;
  /** GET or POST the inspector API (POSTs carry X-Hookguard-Inspector: 1). */
  api<T = unknown>(path: string, method?: 'GET' | 'POST'): Promise<T>;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/cli.js listen …args --port 0` and waits for the address it prints. */
export async function startListen(args: string[]): Promise<RunningListen> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'listen', '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = await new Promise<string>((found, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /inspector {2}(http:\/\/[^\s/]+)\//.exec(stdout);
      if (match && /history {4}.*\n/.test(stdout)) found(match[1] as string);
    });
    child.on('close', (code) => fail(new Error(`listen exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    origin,
    url: `${origin}/webhooks`,
    output: () => stdout + stderr,
    async api<T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
      const response = await fetch(`${origin}/_hookguard/${path}`, { method, headers: method === 'POST' ? { 'x-hookguard-inspector': '1' } : {} });
      const text = await response.text();
      return (response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text) as T;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
