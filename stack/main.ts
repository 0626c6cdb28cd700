import { configFromEnv } from './config.ts';
import { MigrationError } from './migrate.ts';
import { startStack } from './start.ts';

const resetOnly = process.argv.includes('--reset-only');

function printStatus(stack: Awaited<ReturnType<typeof startStack>>) {
  const rows: Array<[string, string]> = [
    ['API URL', stack.apiUrl],
    ['REST URL', `${stack.apiUrl}/rest/v1`],
    ['Auth URL', `${stack.apiUrl}/auth/v1`],
    ['Realtime URL', `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1`],
    ['DB URL', stack.dbUrl],
    ['JWT secret', stack.jwtSecret],
    ['anon key', stack.anonKey],
    ['service_role key', stack.serviceRoleKey],
  ];
  console.log('\n' + rows.map(([k, v]) => `${k.padStart(16)}: ${v}`).join('\n') + '\n');
}

try {
  const config = configFromEnv();
  const stack = await startStack(config, { reset: resetOnly, migrateOnly: resetOnly });
  if (resetOnly) {
    console.log('database re-created from migrations and seed');
    process.exit(0);
  }
  printStatus(stack);
  console.log('stack ready; Ctrl-C stops it');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the stack`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  console.error(err instanceof MigrationError ? `migration failed: ${err.message}` : `stack failed to start: ${(err as Error).message}`);
  process.exit(1);
}
