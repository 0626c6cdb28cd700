// `select=col::type` casts: the type name is looked up in the catalog (to_regtype, with the request's
// search_path) and only the schema-qualified name Postgres gives back goes into the SQL. Cached.
import type pg from 'pg';
import type { SelectItem } from './types.ts';

const MAX_CACHED = 1000;

export class CastResolver {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly pool: pg.Pool) {}

  async resolve(items: SelectItem[], searchPath: string): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    for (const type of collect(items)) {
      const key = `${searchPath}\u0000${type}`;
      if (!this.known.has(key)) {
        if (this.known.size >= MAX_CACHED) this.known.clear();
        this.known.set(key, await this.lookup(type, searchPath));
      }
      out.set(type, this.known.get(key));
    }
    return out;
  }

  /** Called on schema reloads: types may have been created or dropped. */
  clear(): void {
    this.known.clear();
  }

  private async lookup(type: string, searchPath: string): Promise<string | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('begin read only');
      await client.query(`select set_config('search_path', $1, true)`, [searchPath]);
      const { rows } = await client.query<{ t: string | null }>(
        `select format('%I.%I', n.nspname, t.typname) as t from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.oid = to_regtype($1)`,
        [type],
      );
      return rows[0]?.t ?? undefined;
    } catch {
      return undefined;
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
  }
}

function collect(items: SelectItem[], into = new Set<string>()): Set<string> {
  for (const item of items) {
    if (item.kind === 'field') {
      if (item.cast !== undefined) into.add(item.cast);
      if (item.aggregate && item.aggregateCast !== undefined) into.add(item.aggregateCast);
    } else collect(item.children, into);
  }
  return into;
}
