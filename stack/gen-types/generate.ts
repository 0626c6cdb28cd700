// Database URL → the formatted text of src/types/database.ts.
import pg from 'pg';
import { format } from 'prettier';
import type { StackConfig } from '../config.ts';
import { readCatalog } from './catalog.ts';
import { renderDatabaseTypes } from './render.ts';

export interface GenerateOptions {
  databaseUrl: string;
  /** Schemas to type (missing ones are left out). */
  schemas: string[];
  /** The stack's REST implements PostgREST 12's API. */
  postgrestVersion?: string;
}

/** The schemas `supabase gen types` types by default: public and those the API exposes. */
export const schemasToType = (config: Pick<StackConfig, 'schemas'>) => [...new Set(['public', ...config.schemas])];

export async function generateTypes({ databaseUrl, schemas, postgrestVersion = '12' }: GenerateOptions): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'gen-types' });
  await client.connect();
  try {
    const catalog = await readCatalog(client, schemas);
    // The CLI's generator formats with prettier's defaults and no semicolons.
    return await format(renderDatabaseTypes(catalog, { postgrestVersion }), { parser: 'typescript', semi: false });
  } finally {
    await client.end();
  }
}
