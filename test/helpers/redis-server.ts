import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, terminate, track } from './child-server.js';

/**
 * A real `redis-server` of the test's own, on a free loopback port, with no persistence.
 * The Redis tests never skip: without redis-server installed they fail, saying how to install it.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL, as a crash would (nothing flushed, clients see the socket drop). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: there is no persistence). */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

export const INSTALL_HINT =
  'redis-server is not installed, and the Redis tests need a real one (they do not skip). ' +
  'Install it: `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).';

/** Throws with the install hint when `redis-server` is not on PATH. */
export function assertRedisInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(INSTALL_HINT);
}

export async function startRedis(): Promise<RedisServer> {
  assertRedisInstalled();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port);
      const server: RedisServer = {
        port,
        url: `redis://127.0.0.1:${port}`,
        kill: () => terminate(child, 'SIGKILL'),
        async restart() {
          await terminate(child, 'SIGKILL');
          child = await launch(port);
        },
        stop: () => terminate(child, 'SIGTERM'),
      };
      return server;
    } catch (error) {
      lastError = error; // another process took the port between our probe and redis binding it
    }
  }
  throw lastError;
}

/** A port the kernel just gave us on 127.0.0.1 (redis-server has no `--port 0`). */
async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(error.message.includes('ENOENT') ? new Error(INSTALL_HINT) : error));
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}) before answering PING:\n${output}`)));
  });
  exited.catch(() => {}); // observed below; this only silences the rejection after a successful start
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const pong = await Promise.race([ping(port), exited]);
    if (pong) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await terminate(child, 'SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s:\n${output}`);
}

/** True when something on the port answers `+PONG` to an inline PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
