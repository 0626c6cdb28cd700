import { configFromEnv } from './config.ts';
import { bufferedLineLog } from './line-log.ts';
import { MigrationError } from './migrate.ts';
import { startStack } from './start.ts';
import { printStatus } from './status.ts';

const resetOnly = process.argv.includes('--reset-only');
const { log, flush } = bufferedLineLog();

try {
  const config = configFromEnv();
  const stack = await startStack(config, { reset: resetOnly, migrateOnly: resetOnly, log });
  flush();
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
    flush();
    console.log(`${signal}: stopping the stack`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  flush();
  console.error(err instanceof MigrationError ? `migration failed: ${err.message}` : `stack failed to start: ${(err as Error).message}`);
  process.exit(1);
}
