import { createHash } from 'node:crypto';
import type pg from 'pg';
import { describeParams, parseBindingParams, type BindingParams } from './params.ts';

export interface Binding {
  /** The binding exactly as the client sent it: the join reply echoes it back with `id`. */
  raw: Record<string, unknown>;
  id: number;
}

/** Stable integer ids (Supabase uses :erlang.phash2 of the params: equal params, equal id). */
function bindingId(raw: unknown): number {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
      : Array.isArray(v) ? v.map(canonical) : v;
  return createHash('sha1').update(JSON.stringify(canonical(raw))).digest().readUInt32BE(0) >>> 5;
}

export function bindingsFrom(config: unknown): Binding[] {
  if (!Array.isArray(config)) return [];
  return config
    .filter((b) => b !== null && b !== undefined)
    .map((b) => {
      const raw = b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : { value: b };
      return { raw, id: bindingId(b) };
    });
}

const CONDITIONS: Record<string, string> = {
  P0001: 'raise_exception',
  '22P02': 'invalid_text_representation',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22003': 'numeric_value_out_of_range',
  '2201B': 'invalid_regular_expression',
  '42704': 'undefined_object',
  '42883': 'undefined_function',
  '42P01': 'undefined_table',
};

export type CheckedBindings =
  | { ok: true; subscriptions: Array<{ id: number; params: BindingParams; entities: number[] }> }
  | { ok: false; message: string };

/**
 * Checks every binding against the catalog (tables in the supabase_realtime publication, filter
 * columns and values, the role); all are accepted or none, as Supabase inserts them in one
 * transaction. Messages are Supabase's.
 */
export async function checkBindings(pool: pg.Pool, bindings: Binding[], role: string): Promise<CheckedBindings> {
  const subscriptions: Array<{ id: number; params: BindingParams; entities: number[] }> = [];
  for (const binding of bindings) {
    const parsed = parseBindingParams(binding.raw);
    if (!parsed.ok) return { ok: false, message: parsed.error };
    const p = parsed.params;
    let entities: number[];
    try {
      const { rows } = await pool.query<{ oids: number[] }>(
        'select realtime.stack_check_subscription($1, $2, $3, $4, $5, $6)::int8[] as oids',
        ['supabase_realtime', p.schema, p.table, role, JSON.stringify(p.filters.map((f) => [f.column, f.op, f.value, f.negate])), p.select],
      );
      entities = (rows[0]?.oids ?? []).map(Number);
    } catch (err) {
      const e = err as pg.DatabaseError;
      const code = e.code ?? 'XX000';
      const detail = `ERROR ${code} (${CONDITIONS[code] ?? 'internal_error'}) ${e.message}`;
      return { ok: false, message: `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${describeParams(p)}]. Exception: ${detail}` };
    }
    if (entities.length === 0) {
      return { ok: false, message: `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${describeParams(p)}]` };
    }
    subscriptions.push({ id: binding.id, params: p, entities });
  }
  return { ok: true, subscriptions };
}
