import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { signJwt } from '../jwt.ts';
import { startStack, type Stack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';
import { RawSocket, sleep } from './realtime-helpers.ts';

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
    const replies: Array<{ status: string; response: { reason?: string } }> = [];
    for (let i = 0; i < n; i++) replies.push(((await s.reply(`j${i}`, 20_000)) as [string, string, string, string, (typeof replies)[0]])[4]);
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
    const reasons: string[] = [];
    for (let i = 0; i < n; i++) {
      const reply = (await s.reply(`d${i}`, 10_000)) as [string, string, string, string, { status: string; response: { reason: string } }];
      expect(reply[4].status).toBe('error');
      reasons.push(reply[4].response.reason);
    }
    expect(s.closed).toBeUndefined();
    expect(reasons.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => `Unauthorized: You do not have permissions to read from this Channel topic: denied:${i}`));
    expect(new Set(reasons.slice(100))).toEqual(new Set(['ClientJoinRateLimitReached: Too many joins per second']));
    expect(realtimeLines(from).length).toBeLessThanOrEqual(2);
    s.close();
  }, 60_000);
});
