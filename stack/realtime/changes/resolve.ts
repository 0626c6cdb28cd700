import type pg from 'pg';
import type { Relation, TupleValue } from '../replication/pgoutput.ts';
import type { ChangeSubscription } from './registry.ts';

export type Action = 'INSERT' | 'UPDATE' | 'DELETE';

export interface TableChange {
  relation: Relation;
  action: Action;
  newTuple: TupleValue[] | null;
  oldTuple: TupleValue[] | null;
  /** 'O': the whole old row (REPLICA IDENTITY FULL); 'K': its replica identity columns. */
  oldKind: 'K' | 'O' | null;
  commitTime: number;
  /** The transaction's id (32 bits, as pgoutput sends it). */
  xid: number;
}

/** One frame to send: a channel, and the text it receives. */
export type Delivery = { send(frame: string | Buffer): void; frame: string };

interface RolePayload {
  error?: string;
  columns?: Array<{ name: string; type: string }>;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  too_big?: boolean;
}

interface Resolution {
  schema: string;
  table: string;
  pk: string[];
  filters: boolean[];
  visible: boolean[];
  payloads: Record<string, RolePayload>;
}

function tuples(change: TableChange) {
  const cols = change.relation.columns;
  const pick = (tuple: TupleValue[] | null, keep: (i: number) => boolean) => {
    const names: string[] = [];
    const values: Array<string | null> = [];
    if (!tuple) return { names, values };
    tuple.forEach((v, i) => {
      if (v === undefined || !keep(i) || !cols[i]) return;
      names.push(cols[i]!.name);
      values.push(v);
    });
    return { names, values };
  };
  const isKey = (i: number) => cols[i]?.isKey ?? false;
  // Unchanged TOASTed values come from the old row when the table sends it whole.
  const newTuple = change.newTuple?.map((v, i) => (v === undefined && change.oldKind === 'O' ? change.oldTuple?.[i] : v)) ?? null;
  const fresh = change.action === 'DELETE' ? pick(null, () => true) : pick(newTuple, () => true);
  let old;
  if (change.oldTuple) old = pick(change.oldTuple, change.oldKind === 'O' ? () => true : isKey);
  // Without an old row, an UPDATE's identity is the key columns of the new row (as wal2json reports it).
  else if (change.action === 'UPDATE') old = pick(newTuple, isKey);
  else old = pick(null, () => true);
  return { fresh, old };
}

/**
 * Works out, for one change, which subscriptions receive it and with which payload
 * (one round trip to realtime.stack_resolve_change), and returns the frames to send.
 */
export async function resolveChange(pool: pg.Pool, change: TableChange, subs: ChangeSubscription[], maxRecordBytes: number): Promise<Delivery[]> {
  const filterKeys = new Map<string, number>();
  const filters: unknown[] = [];
  const claimKeys = new Map<string, number>();
  const claims: string[] = [];
  const claimRoles: string[] = [];
  const roles = new Set<string>();
  const plan = subs.map((sub) => {
    const identity = sub.listener.identity();
    roles.add(identity.role);
    let claimIdx = claimKeys.get(identity.claims);
    if (claimIdx === undefined) {
      claimIdx = claims.length;
      claimKeys.set(identity.claims, claimIdx);
      claims.push(identity.claims);
      claimRoles.push(identity.role);
    }
    const filterIdx = sub.params.filters.map((f) => {
      const key = JSON.stringify([f.column, f.op, f.value, f.negate]);
      let idx = filterKeys.get(key);
      if (idx === undefined) {
        idx = filters.length;
        filterKeys.set(key, idx);
        filters.push([f.column, f.op, f.value, f.negate]);
      }
      return idx;
    });
    return { sub, role: identity.role, claimIdx, filterIdx };
  });

  const { fresh, old } = tuples(change);
  const { rows } = await pool.query<{ r: Resolution | null }>(
    'select realtime.stack_resolve_change($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as r',
    [change.relation.id, change.action, change.xid, fresh.names, fresh.values, old.names, old.values, JSON.stringify(filters), [...roles], claims, claimRoles, maxRecordBytes],
  );
  const res = rows[0]?.r;
  if (!res) return [];

  const commitTimestamp = new Date(change.commitTime).toISOString();
  const dataCache = new Map<string, string>();
  const dataFor = (role: string, select: string[] | null): string | undefined => {
    const cacheKey = JSON.stringify([role, select]);
    const cached = dataCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const p = res.payloads[role];
    if (!p) return undefined;
    let data: Record<string, unknown>;
    const base = { schema: res.schema, table: res.table, type: change.action };
    if (p.error) {
      data = { ...base, columns: [], commit_timestamp: null, errors: [p.error] };
      if (change.action !== 'DELETE') data.record = {};
      if (change.action !== 'INSERT') data.old_record = {};
    } else {
      const keep = (name: string) => !select || select.includes(name) || res.pk.includes(name);
      const trim = (rec: Record<string, unknown> = {}) => (select ? Object.fromEntries(Object.entries(rec).filter(([k]) => keep(k))) : rec);
      data = { ...base, columns: (p.columns ?? []).filter((c) => keep(c.name)), commit_timestamp: commitTimestamp, errors: p.too_big ? ['Error 413: Payload Too Large'] : null };
      if (change.action !== 'DELETE') data.record = trim(p.record);
      if (change.action !== 'INSERT') data.old_record = trim(p.old_record);
    }
    const json = JSON.stringify(data);
    dataCache.set(cacheKey, json);
    return json;
  };

  // One message per channel (and select list), listing the ids of its bindings that match.
  const messages = new Map<ChangeSubscription['listener'], Map<string, { ids: Set<number>; role: string; select: string[] | null }>>();
  for (const { sub, role, claimIdx, filterIdx } of plan) {
    const payload = res.payloads[role];
    if (!payload) continue;
    // Supabase reports 400/401 errors to every subscription of the role, before filters and RLS.
    if (!payload.error && !(filterIdx.every((i) => res.filters[i]) && res.visible[claimIdx])) continue;
    const select = sub.params.select ? [...sub.params.select].sort() : null;
    const key = JSON.stringify(select);
    let perListener = messages.get(sub.listener);
    if (!perListener) messages.set(sub.listener, (perListener = new Map()));
    const entry = perListener.get(key) ?? { ids: new Set<number>(), role, select };
    entry.ids.add(sub.id);
    perListener.set(key, entry);
  }

  const deliveries: Delivery[] = [];
  for (const [listener, perSelect] of messages) {
    for (const { ids, role, select } of perSelect.values()) {
      const data = dataFor(role, select);
      if (data === undefined) continue;
      const payload = `{"ids":${JSON.stringify([...ids])},"data":${data}}`;
      const frame = listener.vsn === '2.0.0'
        ? `[null,null,${JSON.stringify(listener.topic)},"postgres_changes",${payload}]`
        : `{"topic":${JSON.stringify(listener.topic)},"event":"postgres_changes","payload":${payload},"ref":null,"join_ref":null}`;
      deliveries.push({ send: (f) => listener.send(f), frame });
    }
  }
  return deliveries;
}
