import path from 'node:path';
import pg from 'pg';
import { createServer, type ViteDevServer } from 'vite';
import { configFromEnv } from './config.ts';
import { MigrationError } from './migrate.ts';
import { startStack, type Stack } from './start.ts';
import { printStatus } from './status.ts';

/** Demo users that supabase/seed.sql creates, all with the same password. */
const DEMO_USERS: Record<string, string> = {
  'admin@example.com': 'platform admin',
  'vendor.a@example.com': 'owner of vendor A',
  'vendor.b@example.com': 'owner of vendor B',
  'shopper@example.com': 'shopper',
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
    for (const [email, who] of Object.entries(DEMO_USERS)) if (present.has(email)) console.log(`  ${email.padEnd(24)}${who}`);
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

let stack: Stack | undefined;
let vite: ViteDevServer | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    console.log(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: stopping the dev server and the stack`);
  await vite?.close().catch((err: Error) => console.error(`vite: ${err.message}`));
  await stack?.stop();
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  stack = await startStack(configFromEnv());
  // Vite hands VITE_* variables from the environment to the SPA (import.meta.env).
  process.env.VITE_SUPABASE_URL = stack.apiUrl;
  process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
  vite = await createViteServer();
  await vite.listen();
  printStatus(stack);
  await printDemoLogins(stack);
  console.log(`\nOpen the app: ${vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/'}\nCtrl-C stops the app and the stack.\n`);
} catch (err) {
  console.error(err instanceof MigrationError ? `migration failed: ${err.message}` : `dev failed to start: ${(err as Error).message}`);
  await vite?.close().catch(() => {});
  await stack?.stop();
  process.exit(1);
}
