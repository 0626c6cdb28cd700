import { createHash } from 'node:crypto';
import { channel as diagnosticsChannel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import type { ApiRequest, ApiResponse, Service, ServiceContext } from '../service.ts';
import { createPool } from '../pool.ts';
import { ROLES, urlAs } from '../roles.ts';
import { batchBroadcast, singleBroadcast } from './broadcast-api.ts';
import { ChangeRegistry } from './changes/registry.ts';
import type { RealtimeContext } from './context.ts';
import { ChangeFeed } from './feed.ts';
import { Hub } from './hub.ts';
import { limitsFromEnv } from './limits.ts';
import { Presence } from './presence.ts';
import { ReplicationStream } from './replication/stream.ts';
import type { Vsn } from './serializer.ts';
import { RealtimeSocket } from './socket.ts';
import { checkToken } from './token.ts';

const functionsSql = readFileSync(new URL('./functions.sql', import.meta.url), 'utf8');

/** Instrumentation for benchmarks: `{schema, table, commitTime, decodedAt}` per decoded row change. */
export const decodedChannel = diagnosticsChannel('stack:realtime:decoded');

const PUBLICATIONS = ['supabase_realtime', 'supabase_realtime_messages_publication'];
const MESSAGE_RETENTION_SQL = `delete from realtime.messages where inserted_at < now() - interval '72 hours'`;

function rejectUpgrade(socket: Duplex, status: string, body: Record<string, string>): void {
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify(body)}`);
}

async function installFunctions(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(5432101)');
    await client.query(functionsSql);
  } finally {
    await client.query('select pg_advisory_unlock(5432101)').catch(() => undefined);
    client.release();
  }
}

/** Supabase Realtime at /realtime/v1: Phoenix channels over WebSocket and the broadcast REST API. */
export async function createRealtimeService(service: ServiceContext): Promise<Service> {
  const { config, log } = service;
  // Realtime's role on hosted Supabase: replication, owner of realtime.*, member of the API roles.
  const databaseUrl = urlAs(service.databaseUrl, ROLES.realtime);
  const limits = limitsFromEnv();
  const pool = createPool({ connectionString: databaseUrl, max: 4, application_name: 'stack_realtime', statement_timeout: 10_000 }, 'realtime pool', log);
  await installFunctions(pool);

  const hub = new Hub();
  const registry = new ChangeRegistry();
  const slotName = `stack_realtime_${createHash('sha1').update(`${config.dataDir}|${databaseUrl}|${config.apiPort}|${process.pid}`).digest('hex').slice(0, 16)}`;
  let stream: ReplicationStream | undefined;
  const sockets = new Set<RealtimeSocket>();
  const feed = new ChangeFeed({
    pool,
    hub,
    registry,
    maxRecordBytes: limits.maxRecordBytes,
    maxPayloadBytes: limits.maxPayloadBytes,
    log,
    pause: () => stream?.pause(),
    resume: () => stream?.resume(),
    ack: (lsn) => stream?.ack(lsn),
    onDecoded: (relation, commitTime, decodedAt) => {
      service.metrics.realtimeDecoded((decodedAt - commitTime) / 1000);
      if (decodedChannel.hasSubscribers) decodedChannel.publish({ schema: relation.schema, table: relation.table, commitTime, decodedAt });
    },
  });
  stream = new ReplicationStream({
    databaseUrl,
    slotName,
    publications: PUBLICATIONS,
    log,
    onMessage: (msg, walEnd) => feed.handle(msg, walEnd),
    isIdle: () => feed.idle,
    // Subscribers would silently miss what is committed until the stream is back: close their
    // sockets ("service restart") so realtime-js reconnects and rejoins, which is refused until the
    // stream is ready again; the SUBSCRIBED that follows makes the apps re-read their snapshots.
    onLost: () => {
      if (sockets.size > 0) log(`realtime: closing ${sockets.size} socket(s) so clients rejoin once the replication stream is back`);
      for (const s of sockets) s.disconnect('replication stream lost', 1012, true);
    },
  });
  await stream.start();

  const ctx: RealtimeContext = {
    jwtSecret: config.jwtSecret,
    limits,
    pool,
    hub,
    presence: new Presence(hub),
    registry,
    replicationReady: () => stream?.ready ?? false,
    frameSent: service.metrics.realtimeFrameSent,
    log,
  };

  const janitor = () => pool.query(MESSAGE_RETENTION_SQL).catch((err: Error) => log(`realtime: could not delete old messages: ${err.message}`));
  void janitor();
  const janitorTimer = setInterval(janitor, 60 * 60 * 1000);
  janitorTimer.unref();

  service.metrics.gauge('realtime_connections_connected', 'WebSocket connections open to the Realtime server.', () => sockets.size);
  service.metrics.gauge('realtime_channels_joined', 'Channels joined, over all connections.', () => [...sockets].reduce((n, s) => n + s.channelCount, 0));
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });

  return {
    async handle(req: ApiRequest): Promise<ApiResponse> {
      if (req.method === 'POST' && req.path === '/api/broadcast') return batchBroadcast(req, ctx);
      const single = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(req.path);
      if (req.method === 'POST' && single) {
        try {
          return await singleBroadcast(req, ctx, decodeURIComponent(single[1]!), decodeURIComponent(single[2]!));
        } catch (err) {
          if (err instanceof URIError) return { status: 400, body: { message: 'Malformed URL' } };
          throw err;
        }
      }
      return { status: 404, body: { message: 'Not Found' } };
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/realtime/v1/websocket') {
        rejectUpgrade(socket, '404 Not Found', { error: 'Not Found' });
        return;
      }
      const vsn = url.searchParams.get('vsn') ?? '1.0.0';
      if (vsn !== '1.0.0' && vsn !== '2.0.0') {
        rejectUpgrade(socket, '400 Bad Request', { error: `The client's requested transport version "${vsn}" does not match server's version requirements of "~> 1.0.0" and "~> 2.0.0"` });
        return;
      }
      const headerKey = req.headers['x-api-key'];
      const apiKey = (Array.isArray(headerKey) ? headerKey[0] : headerKey) ?? url.searchParams.get('apikey');
      if (!apiKey) {
        rejectUpgrade(socket, '401 Unauthorized', { error: 'API key is missing' });
        return;
      }
      const check = checkToken(apiKey, config.jwtSecret);
      if (!check.ok) {
        const message = check.refusal.message.startsWith('Token has expired') ? 'Token has expired' : check.refusal.message;
        rejectUpgrade(socket, '401 Unauthorized', { error: message });
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => k.startsWith('x-') && typeof v === 'string') as Array<[string, string]>);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const rs = new RealtimeSocket(ws, ctx, vsn as Vsn, apiKey, headers);
        sockets.add(rs);
        ws.on('close', () => sockets.delete(rs));
      });
    },

    async close(): Promise<void> {
      clearInterval(janitorTimer);
      for (const s of sockets) s.shutdown();
      sockets.clear();
      wss.close();
      await stream?.stop();
      await pool.end();
    },
  };
}
