import pg from 'pg';
import { migrate } from '../../src/postgres/index.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort, terminate, track } from './child-server.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL server of the test's own: a fresh data directory (initdb), a free loopback
 * port, no fsync. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system
 * user (created when missing). The Postgres tests never skip: without PostgreSQL they fail, saying how to install it.
 */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth on loopback only). */
  readonly url: string;
  /** A fast shutdown (SIGINT): clients see their connections drop. The data stays for `restart()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port, same data. */
  restart(): Promise<void>;
  /** Stops it for good and removes its data directory. */
  destroy(): Promise<void>;
}

export const INSTALL_HINT =
  'PostgreSQL is not installed, and the Postgres tests need a real server (they do not skip). ' +
  'Install it: `apt-get install postgresql` (Debian/Ubuntu) or `brew install postgresql` (macOS).';

/** The folder holding `initdb` and `postgres`: PG_BIN, Debian's /usr/lib/postgresql/<newest>/bin, or PATH. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'dirname "$(command -v initdb)"'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() !== '.' && which.stdout.trim() !== '') return which.stdout.trim();
  throw new Error(INSTALL_HINT);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs as the unprivileged `postgres` user when we are root (setpriv execs, so signals reach postgres itself). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (!isRoot) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

function ensurePostgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  let probe = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
    probe = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(probe.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const owner = ensurePostgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const [cmd, args] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(cmd, args, { encoding: 'utf8' });
  if (init.error || init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.error?.message ?? init.status}):\n${init.stdout}\n${init.stderr}`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(bin, data, dir, port);
      return {
        port,
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop: () => terminate(child, 'SIGINT'),
        async restart() {
          await terminate(child, 'SIGINT');
          child = await launch(bin, data, dir, port);
        },
        async destroy() {
          await terminate(child, 'SIGINT');
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error; // another process took the port between our probe and postgres binding it
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(bin: string, data: string, socketDir: string, port: number): Promise<ChildProcess> {
  const settings = [
    'listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${socketDir}`, 'fsync=off',
    'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300', 'shared_buffers=64MB', 'log_min_messages=fatal',
  ];
  const [cmd, args] = asPostgres(join(bin, 'postgres'), ['-D', data, ...settings.flatMap((setting) => ['-c', setting])]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(error.message.includes('ENOENT') ? new Error(INSTALL_HINT) : error));
    child.once('exit', (code) => reject(new Error(`postgres on port ${port} exited (${code}) before accepting connections:\n${output}`)));
  });
  exited.catch(() => {});
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await Promise.race([accepts(bin, port), exited])) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child, 'SIGKILL');
  throw new Error(`postgres on port ${port} did not accept connections within 15 s:\n${output}`);
}

/** pg_isready's answer: 0 = accepting connections. A bare TCP probe first spares a process spawn while it boots. */
async function accepts(bin: string, port: number): Promise<boolean> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
  });
  if (!open) return false;
  return spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']).status === 0;
}

export interface MigratedPostgres {
  server: PostgresServer;
  pool: pg.Pool;
  /** Ends the pool, then stops the server and removes its data. */
  close(): Promise<void>;
}

/** A server of the test file's own with hookguard's tables created, and a pool of `max` connections to it. */
export async function startMigratedPostgres(max: number): Promise<MigratedPostgres> {
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max });
  pool.on('error', () => {}); // a connection dropped by a test's restart; the next query reconnects
  await migrate(pool);
  return {
    server,
    pool,
    async close() {
      await pool.end();
      await server.destroy();
    },
  };
}
