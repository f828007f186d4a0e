import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { knex } from '@mikro-orm/knex';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../shared/free-port.js';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary
 * directory, one postgres process on a free loopback port (its unix socket in
 * that directory too), trust authentication, and no durability (fsync off):
 * it is deleted when the run ends. It assumes no system service and touches
 * no system cluster.
 */
export interface PostgresCluster {
  /** postgres://SUPERUSER@127.0.0.1:PORT/DATABASE (no password: trust authentication on loopback). */
  urlFor(database: string): string;
  readonly port: number;
  readonly directory: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'continuity_test';
const READY_TIMEOUT_MS = 60_000;

export class PostgresUnavailableError extends Error {}

/**
 * The directory holding initdb and postgres: POSTGRES_BIN_DIR when set (and
 * only it: an explicit choice never falls back), else the newest of Debian's
 * /usr/lib/postgresql/<version>/bin, else the PATH.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const hasServer = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'));
  if (env.POSTGRES_BIN_DIR) return hasServer(env.POSTGRES_BIN_DIR) ? env.POSTGRES_BIN_DIR : undefined;
  const candidates: string[] = [];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  candidates.push(...(env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return candidates.find(hasServer);
}

/**
 * initdb and postgres refuse to run as root. Under root they run as the
 * `postgres` account Debian's package creates, through setpriv (which execs
 * in place, so the process we hold is postgres itself and our signals reach it).
 */
function unprivilegedAccount(): { uid: number; gid: number; wrap: (command: string, args: string[]) => [string, string[]] } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new PostgresUnavailableError(
      "Running as root, and there is no `postgres` account to run PostgreSQL as (initdb refuses root). Install Debian's postgresql package, or run the tests as another user.",
    );
  }
  return {
    uid: Number(uid.stdout.trim()),
    gid: Number(gid.stdout.trim()),
    wrap: (command, args) => ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]],
  };
}

/** Creates an empty database in the cluster whose `urlFor('')` is `baseUrl`; returns the new database's URL. */
export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = knex({ client: 'pg', connection: `${baseUrl}postgres`, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database "${name}"`);
  } finally {
    await admin.destroy();
  }
  return `${baseUrl}${name}`;
}

export async function startPostgresCluster(options: { log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<PostgresCluster> {
  const env = options.env ?? process.env;
  const binDir = findPostgresBinDir(env);
  if (!binDir) {
    throw new PostgresUnavailableError(
      `PostgreSQL is not installed: no initdb and postgres in ${env.POSTGRES_BIN_DIR ? `POSTGRES_BIN_DIR (${env.POSTGRES_BIN_DIR})` : '/usr/lib/postgresql/*/bin or on PATH'}. ` +
        'The PostgreSQL tests need its binaries: `apt-get install postgresql` (its system service is not used), or run the SQLite tests alone: `npm test -- --project sqlite`.',
    );
  }
  const account = unprivilegedAccount();
  const wrap = account?.wrap ?? ((command: string, args: string[]): [string, string[]] => [command, args]);
  const directory = mkdtempSync(path.join(os.tmpdir(), 'm365-sync-postgres-'));
  if (account) chownSync(directory, account.uid, account.gid);
  const dataDir = path.join(directory, 'data');

  const [initCommand, initArgs] = wrap(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(directory, { recursive: true, force: true });
    throw new PostgresUnavailableError(`initdb failed (${init.error?.message ?? `exit ${init.status}`}): ${init.stderr || init.stdout}`);
  }

  // The port was free a moment ago; another process may take it before postgres binds it: then another port.
  let started: { server: ChildProcess; port: number } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    const server = spawn(...wrap(path.join(binDir, 'postgres'), ['-D', dataDir, ...serverSettings(port, directory)]), { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await waitUntilReady(server);
      started = { server, port };
    } catch (error) {
      const portTaken = error instanceof PostgresUnavailableError && /could not bind|Address already in use/i.test(error.message);
      if (!portTaken || attempt >= 3) {
        rmSync(directory, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const { server, port } = started;
  options.log?.(`PostgreSQL test cluster on 127.0.0.1:${port} (${directory})`);

  let stopped: Promise<void> | undefined;
  return {
    port,
    directory,
    urlFor: (database) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop() {
      stopped ??= (async () => {
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
          // SIGQUIT: immediate shutdown; nothing in a throwaway cluster is worth a checkpoint.
          server.kill('SIGQUIT');
          const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function serverSettings(port: number, directory: string): string[] {
  const settings = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: directory,
    // A throwaway cluster: speed over durability.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    // Every test store has its own pool, and two test processes open many at once.
    max_connections: '400',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** Resolves once postgres logs that it accepts connections; rejects with its output if it exits first. */
function waitUntilReady(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      reject(new PostgresUnavailableError(`PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`));
    }, READY_TIMEOUT_MS);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(new PostgresUnavailableError(`PostgreSQL could not be started: ${error.message}`));
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new PostgresUnavailableError(`PostgreSQL exited (${signal ?? code}) before accepting connections:\n${output}`));
    });
    server.stderr!.setEncoding('utf8');
    let ready = false;
    server.stderr!.on('data', (chunk: string) => {
      // Keep draining afterwards, so a chatty server never blocks on a full pipe.
      if (ready) return;
      output += chunk;
      if (output.includes('ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        server.removeAllListeners('exit');
        resolve();
      }
    });
  });
}
