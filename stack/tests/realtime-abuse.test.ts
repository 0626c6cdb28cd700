import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { signJwt } from '../jwt.ts';
import { startStack, type Stack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';
import { Inbox, RawSocket, sleep } from './realtime-helpers.ts';

/**
 * A hostile client against a stack of its own, whose log the test reads: a socket that floods after
 * the server closed it, and a burst of joins on one socket.
 */

/** The server gives a peer 3 s (CLOSE_GRACE_MS) to answer its close frame; ws alone waits 30 s. */
const DESTROYED_WITHIN_MS = 5000;

/** A WebSocket client written by hand, so it can ignore the server's close frame (ws answers it). */
class StubbornSocket {
  closeFrameAt: number | undefined;
  destroyedAt: number | undefined;
  private constructor(private readonly sock: net.Socket) {
    sock.on('error', () => undefined);
    sock.on('close', () => (this.destroyedAt = Date.now()));
  }

  static open(apiUrl: string, apikey: string): Promise<StubbornSocket> {
    const url = new URL(apiUrl);
    return new Promise((resolve, reject) => {
      // allowHalfOpen: the server's FIN is not answered either.
      const sock = net.connect({ port: Number(url.port), host: '127.0.0.1', allowHalfOpen: true });
      const key = randomBytes(16).toString('base64');
      sock.once('error', reject);
      sock.once('connect', () => {
        sock.write(`GET /realtime/v1/websocket?apikey=${apikey}&vsn=2.0.0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      let head = Buffer.alloc(0);
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        sock.off('data', onHandshake);
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        if (!head.subarray(0, end).toString().startsWith('HTTP/1.1 101') || !head.includes(accept)) return reject(new Error(head.toString()));
        const socket = new StubbornSocket(sock);
        // Server frames are unmasked; a close frame starts with 0x88. Nothing is ever answered.
        const onFrame = (data: Buffer) => {
          if (socket.closeFrameAt === undefined && data.includes(0x88)) socket.closeFrameAt = Date.now();
        };
        onFrame(head.subarray(end + 4));
        sock.on('data', onFrame);
        resolve(socket);
      };
      sock.on('data', onHandshake);
    });
  }

  /** A masked text frame, as a client must send. */
  sendText(text: string | Buffer): boolean {
    const payload = Buffer.from(text);
    if (payload.length > 125) throw new Error('short frames only');
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    return this.sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
  }

  get destroyed(): boolean {
    return this.destroyedAt !== undefined;
  }

  destroy(): void {
    this.sock.destroy();
  }
}

type Reply = { status: string; response: { reason?: string } };

/** The replies to refs `${prefix}0` .. `${prefix}${n - 1}`, in ref order; fails at once if the socket closes first. */
async function burstReplies(s: RawSocket, prefix: string, n: number): Promise<Reply[]> {
  const byRef = new Map<string, Reply>();
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const f of s.frames) {
      const json = f.json as [string, string, string, string, Reply] | undefined;
      if (Array.isArray(json) && json[3] === 'phx_reply' && json[1]?.startsWith(prefix)) byRef.set(json[1], json[4]);
    }
    if (byRef.size >= n) break;
    if (s.closed) throw new Error(`socket closed after ${byRef.size} of ${n} replies: ${s.closed.code} ${s.closed.reason}`);
    if (Date.now() > deadline) throw new Error(`${byRef.size} of ${n} replies`);
    await sleep(20);
  }
  return Array.from({ length: n }, (_, i) => byRef.get(`${prefix}${i}`)!);
}

describe('realtime against hostile clients', () => {
  let dataDir: string;
  let stack: Stack;
  const lines: string[] = [];
  const realtimeLines = (from: number) => lines.slice(from).filter((l) => l.startsWith('realtime:'));

  beforeAll(async () => {
    dataDir = await tempDataDir('stack-rt-abuse');
    const config = configFromEnv(process.env, { apiPort: 0, dbPort: await freePort(), dataDir, databaseUrl: undefined, quiet: true });
    stack = await startStack(config, { log: (line) => lines.push(line) });
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    await db.query(`create policy "abuse tests read burst topics" on realtime.messages for select to authenticated using ((select realtime.topic()) like 'burst:%')`);
    await db.end();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('closes a socket that sent a bad frame once: later frames are not read, and a peer that ignores the close is cut off', async () => {
    const from = lines.length;
    const s = await StubbornSocket.open(stack.apiUrl, stack.anonKey);
    s.sendText('this is not json');
    // Keep flooding bad frames, never answering the close frame, until the server cuts the socket.
    const deadline = Date.now() + DESTROYED_WITHIN_MS + 5000;
    let sent = 0;
    while (!s.destroyed && Date.now() < deadline) {
      for (let i = 0; i < 50; i++) if (s.sendText(`garbage ${sent++}`) === false) break;
      await sleep(1);
    }
    s.destroy();
    const logged = realtimeLines(from);
    console.log(`bad socket: ${sent} frames sent, destroyed ${s.destroyedAt! - s.closeFrameAt!} ms after the close frame, ${logged.length} log line(s)`);
    expect(sent).toBeGreaterThan(1000);
    expect(s.closeFrameAt).toBeDefined();
    expect(s.destroyedAt, 'the server never destroyed the socket').toBeDefined();
    expect(s.destroyedAt! - s.closeFrameAt!).toBeLessThan(DESTROYED_WITHIN_MS);
    expect(logged, logged.slice(0, 5).join('\n')).toHaveLength(1);
    expect(logged[0]).toBe('realtime: closing a socket: invalid message: frame is not valid JSON');
  }, 30_000);

  it('cuts off a peer that ignores the close after a frame ws itself refuses (invalid UTF-8)', async () => {
    const from = lines.length;
    const s = await StubbornSocket.open(stack.apiUrl, stack.anonKey);
    s.sendText(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]));
    const deadline = Date.now() + DESTROYED_WITHIN_MS + 5000;
    while (!s.destroyed && Date.now() < deadline) {
      for (let i = 0; i < 50; i++) if (s.sendText(Buffer.from([0xff, i])) === false) break;
      await sleep(1);
    }
    s.destroy();
    expect(s.closeFrameAt).toBeDefined();
    expect(s.destroyedAt, 'the server never destroyed the socket').toBeDefined();
    expect(s.destroyedAt! - s.closeFrameAt!).toBeLessThan(DESTROYED_WITHIN_MS);
    expect(realtimeLines(from).length).toBeLessThanOrEqual(1);
  }, 30_000);

  it('answers every join of a burst on one socket: ok up to the joins-per-second limit, Supabase\'s error beyond, socket open', async () => {
    const from = lines.length;
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, stack.jwtSecret);
    const s = await RawSocket.open('2.0.0', stack.anonKey, stack.apiUrl);
    const n = 200;
    for (let i = 0; i < n; i++) s.send([`j${i}`, `j${i}`, `realtime:burst:${i}`, 'phx_join', { config: { private: true }, access_token: token }]);
    const replies = await burstReplies(s, 'j', n);
    s.send([null, 'hb', 'phoenix', 'heartbeat', {}]);
    expect(await s.reply('hb')).toEqual([null, 'hb', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(s.closed).toBeUndefined();
    expect(replies.slice(0, 100).every((r) => r.status === 'ok')).toBe(true);
    expect(replies.slice(100)).toEqual(Array(n - 100).fill({ status: 'error', response: { reason: 'ClientJoinRateLimitReached: Too many joins per second' } }));
    const logged = realtimeLines(from);
    expect(logged.length, logged.slice(0, 5).join('\n')).toBeLessThanOrEqual(2);
    s.close();
  }, 40_000);

  it('answers a burst larger than the inbound queue join by join instead of closing the socket (1008)', async () => {
    const from = lines.length;
    const s = await RawSocket.open('2.0.0', stack.anonKey, stack.apiUrl);
    const n = 1500;
    // Private channels anon may not read: each allowed join is refused by RLS, so none is kept.
    for (let i = 0; i < n; i++) s.send([`d${i}`, `d${i}`, `realtime:denied:${i}`, 'phx_join', { config: { private: true } }]);
    const replies = await burstReplies(s, 'd', n);
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set(['error']));
    const reasons = replies.map((r) => r.response.reason);
    expect(s.closed).toBeUndefined();
    expect(reasons.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => `Unauthorized: You do not have permissions to read from this Channel topic: denied:${i}`));
    expect(new Set(reasons.slice(100))).toEqual(new Set(['ClientJoinRateLimitReached: Too many joins per second']));
    expect(realtimeLines(from).length).toBeLessThanOrEqual(2);
    s.close();
  }, 60_000);

  it('lets realtime-js recover from refused joins: CHANNEL_ERROR with the reason, then a rejoin succeeds', async () => {
    // A second stack on the same database, with 5 joins per second, so a realistic client exceeds it.
    const lowLines: string[] = [];
    process.env.STACK_REALTIME_MAX_JOINS_PER_SECOND = '5';
    let low: Stack;
    // Its own data directory: the replication slot's name derives from it.
    const lowDir = await tempDataDir('stack-rt-abuse-low');
    try {
      low = await startStack({ ...stack.config, apiPort: 0, dataDir: lowDir, databaseUrl: stack.adminDbUrl }, { log: (line) => lowLines.push(line) });
    } finally {
      delete process.env.STACK_REALTIME_MAX_JOINS_PER_SECOND;
    }
    const client = createClient(low.apiUrl, low.anonKey, { realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
    const events = new Inbox<{ channel: number; status: string; message?: string }>();
    try {
      const n = 12;
      for (let i = 0; i < n; i++) client.channel(`js-burst-${i}`).subscribe((status, err) => events.push({ channel: i, status, message: err?.message }));
      for (let i = 0; i < n; i++) await events.wait(1, (e) => e.channel === i && e.status === 'SUBSCRIBED', 30_000);
      const errors = events.items.filter((e) => e.status !== 'SUBSCRIBED');
      expect(errors.length).toBeGreaterThan(0);
      expect(new Set(errors.map((e) => `${e.status} ${e.message}`))).toEqual(new Set(['CHANNEL_ERROR ClientJoinRateLimitReached: Too many joins per second']));
      expect(lowLines.filter((l) => l.startsWith('realtime: closing'))).toEqual([]);
    } finally {
      await client.removeAllChannels();
      await low.stop();
      await fs.rm(lowDir, { recursive: true, force: true });
    }
  }, 60_000);
});
