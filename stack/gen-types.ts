// npm run gen:types — writes src/types/database.ts from the schema, as `supabase gen types
// typescript --local` does. Without DATABASE_URL it applies supabase/migrations to a throwaway
// Postgres; with DATABASE_URL it reads that database as it is. Types the schemas the API exposes.
//   --out <file>   write elsewhere (default src/types/database.ts)
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from './config.ts';
import { generateTypes, schemasToType } from './gen-types/generate.ts';
import { withMigratedDatabase } from './gen-types/throwaway-database.ts';
import { MigrationError } from './migrate.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'src/types/database.ts' } } });

try {
  const config = configFromEnv();
  const schemas = schemasToType(config);
  const generate = (databaseUrl: string) => generateTypes({ databaseUrl, schemas });
  const log = (line: string) => {
    if (!config.quiet) console.error(line);
  };
  const text = config.databaseUrl ? await generate(config.databaseUrl) : await withMigratedDatabase(config.supabaseDir, log, generate);
  const out = path.resolve(values.out!);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, text);
  console.error(`wrote ${path.relative(process.cwd(), out)} (schemas: ${schemas.join(', ')})`);
} catch (err) {
  console.error(err instanceof MigrationError ? `migration failed: ${err.message}` : `gen:types failed: ${(err as Error).message}`);
  process.exit(1);
}
