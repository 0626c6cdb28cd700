import type pg from 'pg';
import type { ChangeRegistry } from './changes/registry.ts';
import { resolveChange, type Action, type Delivery, type TableChange } from './changes/resolve.ts';
import { Hub } from './hub.ts';
import type { PgOutputMessage, Relation, TupleValue } from './replication/pgoutput.ts';

export interface FeedOptions {
  pool: pg.Pool;
  hub: Hub;
  registry: ChangeRegistry;
  maxRecordBytes: number;
  maxPayloadBytes: number;
  log(line: string): void;
  /** Flow control towards the replication stream. */
  pause(): void;
  resume(): void;
  ack(lsn: bigint): void;
  /** Instrumentation: a change was decoded (commit time, decode time). */
  onDecoded?(relation: Relation, commitTime: number, decodedAt: number): void;
}

const PAUSE_AT = 2000;
const RESUME_AT = 200;

/**
 * Turns the decoded replication stream into deliveries, in commit order: inserts into
 * realtime.messages become broadcasts to their topic (Supabase's "broadcast from the database"),
 * changes to published tables become postgres_changes for the subscriptions that may see them.
 */
export class ChangeFeed {
  private readonly relations = new Map<number, Relation>();
  private commitTime = Date.now();
  private xid = 0;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly opts: FeedOptions) {}

  get idle(): boolean {
    return this.pending === 0;
  }

  handle(msg: PgOutputMessage, walEnd: bigint): void {
    switch (msg.tag) {
      case 'begin':
        this.commitTime = msg.commitTime;
        this.xid = msg.xid;
        return;
      case 'relation':
        this.relations.set(msg.relation.id, msg.relation);
        return;
      case 'commit': {
        const lsn = msg.endLsn > walEnd ? msg.endLsn : walEnd;
        this.enqueue(Promise.resolve([]), () => this.opts.ack(lsn));
        return;
      }
      case 'insert':
        return this.onRow(msg.relationId, 'INSERT', msg.newTuple, null, null);
      case 'update':
        return this.onRow(msg.relationId, 'UPDATE', msg.newTuple, msg.oldTuple, msg.oldKind);
      case 'delete':
        return this.onRow(msg.relationId, 'DELETE', null, msg.oldTuple, msg.oldKind);
      default:
        return;
    }
  }

  private onRow(relationId: number, action: Action, newTuple: TupleValue[] | null, oldTuple: TupleValue[] | null, oldKind: 'K' | 'O' | null): void {
    const relation = this.relations.get(relationId);
    if (!relation) return;
    this.opts.onDecoded?.(relation, this.commitTime, Date.now());
    if (relation.schema === 'realtime' && relation.table === 'messages' && action === 'INSERT' && newTuple) {
      this.enqueue(Promise.resolve([]), () => this.broadcastMessage(relation, newTuple));
    }
    const subs = this.opts.registry.match(relation.id, action);
    if (subs.length === 0) return;
    const change: TableChange = { relation, action, newTuple, oldTuple, oldKind, commitTime: this.commitTime, xid: this.xid };
    const work = resolveChange(this.opts.pool, change, subs, this.opts.maxRecordBytes).catch((err: Error) => {
      this.opts.log(`realtime: could not resolve a change on ${relation.schema}.${relation.table}: ${err.message}`);
      return [] as Delivery[];
    });
    this.enqueue(work);
  }

  /** Deliveries happen in the order changes were decoded, however long each one took to resolve. */
  private enqueue(work: Promise<Delivery[]>, after?: () => void): void {
    this.pending++;
    if (this.pending === PAUSE_AT) this.opts.pause();
    this.tail = this.tail.then(async () => {
      try {
        for (const d of await work) d.send(d.frame);
        after?.();
      } catch (err) {
        this.opts.log(`realtime: delivery failed: ${(err as Error).message}`);
      }
      this.pending--;
      if (this.pending === RESUME_AT) this.opts.resume();
    });
  }

  private broadcastMessage(relation: Relation, tuple: TupleValue[]): void {
    const row: Record<string, string | null | undefined> = {};
    relation.columns.forEach((c, i) => (row[c.name] = tuple[i]));
    const { topic, event, payload, id } = row;
    if (row.extension !== 'broadcast' || !topic || !event || !payload || !id) return;
    const bytes = Buffer.from(payload, 'utf8');
    if (bytes.length > this.opts.maxPayloadBytes) {
      this.opts.log(`realtime: UnableToBroadcastChanges: :payload_size_exceeded (topic ${topic})`);
      return;
    }
    this.opts.hub.publish(Hub.key(topic, row.private === 't'), {
      kind: 'user_broadcast',
      broadcast: { event, encoding: 'json', payload: bytes, meta: { id } },
    });
  }
}
