import pg from 'pg';
import { decodePgOutput, msToPgTime, type PgOutputMessage } from './pgoutput.ts';

/**
 * Streams the stack's publications with pgoutput over Postgres' streaming replication protocol
 * (node-postgres sends START_REPLICATION and hands us the CopyBoth data).
 *
 * The slot is TEMPORARY, as Supabase Realtime's own broadcast-changes slot: Postgres drops it when
 * this connection ends, so a crashed or killed stack cannot leak one. Changes are streamed from the
 * moment the slot is created; changes committed while the stack (or this connection) is down are
 * not replayed, as on Supabase where clients refetch after (re)subscribing.
 */
export interface StreamOptions {
  databaseUrl: string;
  slotName: string;
  publications: string[];
  log(line: string): void;
  /** Called for every decoded message, in WAL order; `walEnd` is the LSN after it. */
  onMessage(msg: PgOutputMessage, walEnd: bigint): void;
  /** Whether every message handed to onMessage has been handled (then keepalives advance the slot). */
  isIdle(): boolean;
  /** Called each time a (re)connected stream is ready to deliver changes. */
  onReady?(): void;
  /** Called once when a ready stream is lost: changes committed until it is ready again are missed. */
  onLost?(err: Error): void;
}

type Connection = { sendCopyFromChunk(chunk: Buffer): void; stream: { pause(): void; resume(): void } };

/** A node-postgres "submittable" running START_REPLICATION and receiving CopyData. */
class StartReplication {
  callback?: (err: Error | null) => void;
  constructor(
    private readonly sql: string,
    private readonly onData: (chunk: Buffer) => void,
    private readonly onEnd: (err?: Error) => void,
  ) {}
  submit(connection: { query(sql: string): void }) {
    connection.query(this.sql);
  }
  handleCopyData(msg: { chunk: Buffer }) {
    this.onData(msg.chunk);
  }
  handleError(err: Error) {
    this.onEnd(err);
  }
  handleReadyForQuery() {
    this.onEnd();
  }
  handleCopyInResponse() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleCommandComplete() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
}

const STATUS_INTERVAL_MS = 10_000;
const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];

export class ReplicationStream {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempts = 0;
  private statusTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private received = 0n;
  private flushed = 0n;
  private paused = false;
  ready = false;

  constructor(private readonly opts: StreamOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** The LSN up to which changes have been handled; Postgres may recycle WAL before it. */
  ack(lsn: bigint): void {
    if (lsn > this.flushed) this.flushed = lsn;
  }

  pause(): void {
    if (this.paused || !this.client) return;
    this.paused = true;
    this.connection()?.stream.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.connection()?.stream.resume();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.teardown();
  }

  private connection(): Connection | undefined {
    return (this.client as unknown as { connection?: Connection } | undefined)?.connection;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.databaseUrl, replication: 'database', application_name: 'stack_realtime_replication' } as pg.ClientConfig);
    this.client = client;
    client.on('error', (err) => this.fail(client, err));
    try {
      await client.connect();
      // Slot names are made of [a-z0-9_] by the service; publications come from the service too.
      await client.query(`CREATE_REPLICATION_SLOT ${this.opts.slotName} TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')`);
      const publications = this.opts.publications.map((p) => p.replace(/[^a-z0-9_]/g, '')).join(',');
      const sql = `START_REPLICATION SLOT ${this.opts.slotName} LOGICAL 0/0 (proto_version '1', publication_names '${publications}')`;
      client.query(new StartReplication(sql, (chunk) => this.onCopyData(chunk), (err) => this.fail(client, err ?? new Error('replication stream ended'))) as unknown as pg.QueryConfig);
    } catch (err) {
      this.fail(client, err as Error);
      return;
    }
    this.attempts = 0;
    this.paused = false;
    this.ready = true;
    this.statusTimer = setInterval(() => this.sendStatus(false), STATUS_INTERVAL_MS);
    this.opts.log(`realtime: streaming ${this.opts.publications.join(', ')} through temporary slot ${this.opts.slotName}`);
    this.opts.onReady?.();
  }

  private onCopyData(chunk: Buffer): void {
    const kind = chunk[0];
    if (kind === 0x77 /* w: XLogData */) {
      const walEnd = chunk.readBigUInt64BE(9);
      if (walEnd > this.received) this.received = walEnd;
      let msg: PgOutputMessage;
      try {
        msg = decodePgOutput(chunk.subarray(25));
      } catch (err) {
        this.opts.log(`realtime: could not decode a replication message: ${(err as Error).message}`);
        return;
      }
      this.opts.onMessage(msg, walEnd);
    } else if (kind === 0x6b /* k: keepalive */) {
      const walEnd = chunk.readBigUInt64BE(1);
      if (walEnd > this.received) this.received = walEnd;
      if (this.opts.isIdle()) this.ack(this.received);
      if (chunk[17] === 1) this.sendStatus(false);
    }
  }

  private sendStatus(replyRequested: boolean): void {
    const conn = this.connection();
    if (!conn || !this.ready) return;
    const buf = Buffer.alloc(34);
    buf.write('r', 0);
    buf.writeBigUInt64BE(this.received, 1);
    buf.writeBigUInt64BE(this.flushed, 9);
    buf.writeBigUInt64BE(this.flushed, 17);
    buf.writeBigUInt64BE(msToPgTime(Date.now()), 25);
    buf.writeUInt8(replyRequested ? 1 : 0, 33);
    try {
      conn.sendCopyFromChunk(buf);
    } catch {
      // The connection is going away; fail() reconnects.
    }
  }

  private fail(client: pg.Client, err: Error): void {
    if (client !== this.client) return;
    const wasReady = this.ready;
    this.client = undefined;
    this.ready = false;
    clearInterval(this.statusTimer);
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.attempts, RETRY_DELAYS_MS.length - 1)]!;
    this.attempts++;
    this.opts.log(`realtime: replication stream lost (${err.message}); retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    if (wasReady) this.opts.onLost?.(err);
  }

  private async teardown(): Promise<void> {
    this.sendStatus(false);
    clearInterval(this.statusTimer);
    const client = this.client;
    this.client = undefined;
    this.ready = false;
    if (!client) return;
    await client.end().catch(() => undefined);
  }
}
