import path from 'node:path';
import pg from 'pg';
import { createServer, type ViteDevServer } from 'vite';
import { REQUEST_ID_PREFIX } from '../sim/accounts.ts';
import { simOptions, startSimulator, type Simulator } from '../sim/simulator.ts';
import { formatSummary } from '../sim/tally.ts';
import { configFromEnv } from './config.ts';
import { MigrationError } from './migrate.ts';
import { startStack, type Stack } from './start.ts';
import { printStatus } from './status.ts';

/** Demo users that supabase/seed.sql creates, all with the same password. */
const DEMO_USERS: Record<string, string> = {
  'admin@example.com': 'platform admin',
  'vendor.a@example.com': 'owner of Northwind Outfitters',
  'vendor.b@example.com': 'owner of Harbor Hardware',
  'shopper@example.com': 'shopper',
  'priya.shah@example.com': 'shopper with items on hold',
  'marcus.lee@example.com': 'shopper with items on hold',
  'lena.fischer@example.com': 'shopper with items on hold',
};
const DEMO_PASSWORD = 'demo-password';

async function printDemoLogins(stack: Stack): Promise<void> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>('select email from auth.users where email = any($1::text[])', [Object.keys(DEMO_USERS)]);
    const present = new Set(rows.map((row) => row.email));
    if (present.size === 0) {
      console.log('No demo users in this database (supabase/seed.sql creates them on a fresh database; see npm run db:reset).');
      return;
    }
    console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
    const width = Math.max(...Object.keys(DEMO_USERS).map((email) => email.length)) + 2;
    for (const [email, who] of Object.entries(DEMO_USERS)) if (present.has(email)) console.log(`  ${email.padEnd(width)}${who}`);
  } finally {
    await client.end();
  }
}

/**
 * Vite's dev server exits the process on SIGTERM (or stdin end) after closing only itself; we
 * stop both servers ourselves, so its listeners, added by createServer, are taken off again.
 */
async function createViteServer(): Promise<ViteDevServer> {
  const sigterm = new Set(process.listeners('SIGTERM'));
  const stdinEnd = new Set(process.stdin.listeners('end'));
  const server = await createServer({
    configFile: path.resolve(import.meta.dirname, '../vite.config.ts'),
    server: { host: '127.0.0.1', port: Number(process.env.APP_PORT || 5173), strictPort: false },
  });
  for (const listener of process.listeners('SIGTERM')) if (!sigterm.has(listener)) process.removeListener('SIGTERM', listener);
  for (const listener of process.stdin.listeners('end')) if (!stdinEnd.has(listener)) process.stdin.removeListener('end', listener as () => void);
  return server;
}

const SIM_RATE = 2;
const SIM_SUMMARY_SECONDS = 30;

/**
 * The traffic simulator, in this process, so that every screen moves on first open. Its requests
 * carry `sim-` request ids and stay out of the request log; a summary line every 30 s instead.
 */
async function startTraffic(stack: Stack): Promise<Simulator | undefined> {
  const say = (line: string) => console.log(`sim: ${line}`);
  try {
    const sim = await startSimulator(simOptions({
      url: stack.apiUrl,
      anonKey: stack.anonKey,
      rate: SIM_RATE,
      summaryEverySeconds: SIM_SUMMARY_SECONDS,
      onSummary: (summary) => say(formatSummary(summary)),
      log: say,
    }));
    console.log(
      `Traffic simulator: ${sim.shoppers} shoppers (sim.shopper.<n>@example.com) and ${sim.desks.map((d) => d.email).join(', ')} ` +
        `make about ${SIM_RATE} stock changes a second; a summary every ${SIM_SUMMARY_SECONDS} s. npm run dev -- --no-sim turns it off.`,
    );
    return sim;
  } catch (err) {
    console.log(`Traffic simulator not started: ${(err as Error).message}`);
    return undefined;
  }
}

const isSimRequest = (line: string) => line.split(' ', 2)[1]?.startsWith(REQUEST_ID_PREFIX) ?? false;

let stack: Stack | undefined;
let vite: ViteDevServer | undefined;
let sim: Promise<Simulator | undefined> | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    console.log(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: stopping the dev server and the stack`);
  const simulator = await sim;
  if (simulator) console.log(`sim: final · ${formatSummary(await simulator.stop())}`);
  await vite?.close().catch((err: Error) => console.error(`vite: ${err.message}`));
  await stack?.stop();
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  stack = await startStack(configFromEnv(), { log: (line) => isSimRequest(line) || console.log(line) });
  // Vite hands VITE_* variables from the environment to the SPA (import.meta.env).
  process.env.VITE_SUPABASE_URL = stack.apiUrl;
  process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
  vite = await createViteServer();
  await vite.listen();
  printStatus(stack);
  await printDemoLogins(stack);
  console.log(`\nOpen the app: ${vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/'}\nCtrl-C stops the app and the stack.\n`);
  if (process.argv.includes('--no-sim')) console.log('Traffic simulator off (--no-sim).');
  else sim = startTraffic(stack);
} catch (err) {
  console.error(err instanceof MigrationError ? `migration failed: ${err.message}` : `dev failed to start: ${(err as Error).message}`);
  await vite?.close().catch(() => {});
  await stack?.stop();
  process.exit(1);
}
