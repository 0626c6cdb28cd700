// PostgREST's in-database configuration: `alter role authenticator set pgrst.<name> = ...`, re-read on
// `NOTIFY pgrst, 'reload config'`, and the settings of the roles it impersonates (statement_timeout, ...),
// which `set role` alone would not apply.
import type pg from 'pg';
import { DB_SETTINGS_SQL, ROLE_SETTINGS_SQL } from './catalog-queries.ts';
import type { QualifiedName } from './schema-cache.ts';

/** Supabase's default: reads answer at most this many rows (`[api] max_rows` of the CLI's config.toml). */
export const DEFAULT_MAX_ROWS = 1000;

export interface DbConfig {
  preRequest?: QualifiedName;
  maxRows: number;
  /** `pgrst.db_plan_enabled`: execution plans with `Accept: application/vnd.pgrst.plan` (off by default, as PostgREST and Supabase). */
  planEnabled: boolean;
  /** Schemas searched after the request's schema, like Supabase's `db-extra-search-path`. */
  extraSearchPath: string[];
  /** `db-aggregates-enabled`: aggregate functions in select (off by default, as PostgREST and Supabase). */
  aggregates: boolean;
  /** role → [setting, value] pairs applied with set_config at the start of each request. */
  roleSettings: Map<string, Array<[string, string]>>;
  /** role → default_transaction_isolation from its settings. */
  roleIsolation: Map<string, string>;
}

/** `schema.name`, `"quoted".name` or `name` (left to the search_path), as PostgREST reads db-pre-request. */
function parseQualifiedName(text: string): QualifiedName | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let part = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          part += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else part += text[i++];
      }
      if (text[i] !== '"') return undefined;
      i++;
      parts.push(part);
    } else {
      const dot = text.indexOf('.', i);
      const end = dot < 0 ? text.length : dot;
      parts.push(text.slice(i, end).trim());
      i = end;
    }
    if (i < text.length) {
      if (text[i] !== '.') return undefined;
      i++;
    }
  }
  if (parts.length === 1 && parts[0]) return { schema: '', name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { schema: parts[0], name: parts[1] };
  return undefined;
}

/**
 * A boolean setting as PostgREST's config parser reads it: the letters of the text as a Haskell Bool
 * in any case ("true", "TRUE", "'True'"), else a whole number (> 0 is true); anything else is unset.
 */
export function parseConfigBool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const letters = [...text].filter((c) => /\p{L}/u.test(c)).join('').toLowerCase();
  if (letters === 'true') return true;
  if (letters === 'false') return false;
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) > 0 : undefined;
}

export async function loadDbConfig(pool: pg.Pool, log: (line: string) => void): Promise<DbConfig> {
  const settings = new Map((await pool.query<{ key: string; value: string }>(DB_SETTINGS_SQL)).rows.map((r) => [r.key, r.value]));
  const roleRows = (await pool.query<{ role: string; key: string; value: string }>(ROLE_SETTINGS_SQL)).rows;

  const preRequestText = settings.get('db_pre_request');
  const preRequest = preRequestText ? parseQualifiedName(preRequestText) : undefined;
  if (preRequestText && !preRequest) log(`rest: ignoring pgrst.db_pre_request, not a function name: ${preRequestText}`);
  const maxRowsText = settings.get('db_max_rows');
  const maxRows = maxRowsText && /^\d+$/.test(maxRowsText) ? Number(maxRowsText) : DEFAULT_MAX_ROWS;
  const extraSearchPath = (settings.get('db_extra_search_path') ?? 'public,extensions').split(',').map((s) => s.trim()).filter(Boolean);

  const roleSettings = new Map<string, Array<[string, string]>>();
  const roleIsolation = new Map<string, string>();
  for (const { role, key, value } of roleRows) {
    if (key === 'default_transaction_isolation') roleIsolation.set(role, value);
    else roleSettings.set(role, [...(roleSettings.get(role) ?? []), [key, value]]);
  }
  const aggregates = parseConfigBool(settings.get('db_aggregates_enabled')) ?? false;
  const planEnabled = parseConfigBool(settings.get('db_plan_enabled')) ?? false;
  return { ...(preRequest && { preRequest }), maxRows, planEnabled, extraSearchPath, aggregates, roleSettings, roleIsolation };
}
