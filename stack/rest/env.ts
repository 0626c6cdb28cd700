import type { DbConfig } from './db-config.ts';
import type { SchemaCache } from './schema-cache.ts';

/** What planning a request needs besides the request itself. */
export interface Env {
  cache: SchemaCache;
  config: DbConfig;
  /** The casts written in this request's select, resolved to SQL type names (undefined: no such type). */
  casts: Map<string, string | undefined>;
}
