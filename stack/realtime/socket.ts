import WebSocket from 'ws';
import { Channel, type ChannelSocket } from './channel.ts';
import type { RealtimeContext } from './context.ts';
import { decodeFrame, encodeMessage, encodeReply, FrameError, type Inbound, type Vsn } from './serializer.ts';

/** Inbound frames waiting for earlier ones (e.g. a join checking RLS) before the socket gives up. */
const MAX_PENDING_FRAMES = 1000;
const IDLE_CHECK_MS = 5000;
/**
 * After the server sends its close frame, how long the peer has to answer it before the TCP socket
 * is destroyed (ws would wait 30 s). Frames that arrive meanwhile are dropped unread.
 */
export const CLOSE_GRACE_MS = 3000;
const JOIN_LIMIT_REASON = 'ClientJoinRateLimitReached: Too many joins per second';
const JOIN_LOG_MS = 10_000;

/**
 * One WebSocket: a Phoenix socket. Frames are handled one at a time, in order (as a Phoenix socket
 * process does); a join waits for its authorization checks before later frames are read.
 */
export class RealtimeSocket implements ChannelSocket {
  private readonly channels = new Map<string, Channel>();
  private chain: Promise<void> = Promise.resolve();
  private pendingFrames = 0;
  private lastSeen = Date.now();
  private readonly idleTimer: NodeJS.Timeout;
  private joinWindow = { start: 0, count: 0 };
  private joinLimitLoggedAt = -Infinity;
  /** The server sent its close frame (or the peer closed): no more frames are read or handled. */
  private closing = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: RealtimeContext,
    readonly vsn: Vsn,
    readonly apiKeyToken: string,
    readonly headers: Record<string, string>,
  ) {
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
    ws.on('close', () => this.onClose());
    ws.on('error', (err) => {
      // ws refused a frame (bad UTF-8, bad opcode, too big) and is closing the socket itself.
      if (this.closing) return;
      ctx.log(`realtime: socket error: ${err.message}`);
      this.closing = true;
      this.closeTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      this.closeTimer.unref();
    });
    this.idleTimer = setInterval(() => {
      if (Date.now() - this.lastSeen > ctx.limits.idleTimeoutMs) this.disconnect('idle timeout', 1000);
    }, IDLE_CHECK_MS);
    this.idleTimer.unref();
  }

  send(frame: string | Buffer): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.log(`realtime: disconnecting a client too slow to keep up (${this.ws.bufferedAmount} bytes queued)`);
      this.closing = true;
      this.ws.terminate();
      return;
    }
    this.ws.send(frame);
    this.ctx.frameSent();
  }

  get channelCount(): number {
    return this.channels.size;
  }

  push(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): void {
    this.send(encodeMessage({ joinRef, ref, topic, event, payload }, this.vsn));
  }

  reply(joinRef: string | null, ref: string | null, topic: string, status: 'ok' | 'error', response: unknown): void {
    this.send(encodeReply(joinRef, ref, topic, status, response, this.vsn));
  }

  channelClosed(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  /** Closes the socket once (one log line), whatever the peer keeps sending. */
  disconnect(reason: string, code = 1008, quiet = false): void {
    if (this.closing) return;
    if (!quiet) this.ctx.log(`realtime: closing a socket: ${reason}`);
    this.close(code, reason, CLOSE_GRACE_MS);
  }

  /** Server shutdown: close with "going away" so clients reconnect; do not wait for their reply. */
  shutdown(): void {
    if (this.closing) return;
    this.close(1001, 'server shutting down', 1000);
    this.onClose();
  }

  private close(code: number, reason: string, graceMs: number): void {
    this.closing = true;
    this.ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close frame (or keeps the socket busy) is cut off.
    this.closeTimer = setTimeout(() => this.ws.terminate(), graceMs);
    this.closeTimer.unref();
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    this.lastSeen = Date.now();
    let inbound: Inbound;
    try {
      inbound = decodeFrame(data, isBinary, this.vsn);
    } catch (err) {
      const reason = err instanceof FrameError ? err.message : 'invalid frame';
      this.disconnect(`invalid message: ${reason}`, 1007);
      return;
    }
    // Joins are counted as they arrive, so a burst is answered join by join (not by a full queue).
    if (inbound.kind === 'message' && inbound.event === 'phx_join' && inbound.topic.startsWith('realtime:') && this.overJoinRate()) {
      this.reply(inbound.joinRef ?? inbound.ref, inbound.ref, inbound.topic, 'error', { reason: JOIN_LIMIT_REASON });
      return;
    }
    if (++this.pendingFrames > MAX_PENDING_FRAMES) {
      this.disconnect('too many messages waiting', 1008);
      return;
    }
    this.chain = this.chain
      .then(() => this.handle(inbound))
      .catch((err: Error) => this.ctx.log(`realtime: error handling a message on ${inbound.topic}: ${err.stack ?? err.message}`))
      .finally(() => this.pendingFrames--);
  }

  private unmatched(joinRef: string | null, ref: string | null, topic: string): void {
    this.reply(joinRef, ref, topic, 'error', { reason: 'unmatched topic' });
  }

  /** Supabase's max_joins_per_second, per socket. Refusals are logged at most once per JOIN_LOG_MS. */
  private overJoinRate(): boolean {
    const now = Date.now();
    if (now - this.joinWindow.start >= 1000) this.joinWindow = { start: now, count: 0 };
    if (++this.joinWindow.count <= this.ctx.limits.maxJoinsPerSecond) return false;
    if (now - this.joinLimitLoggedAt >= JOIN_LOG_MS) {
      this.joinLimitLoggedAt = now;
      this.ctx.log(`realtime: ${JOIN_LIMIT_REASON} (over ${this.ctx.limits.maxJoinsPerSecond} on one socket; joins refused)`);
    }
    return true;
  }

  private async handle(msg: Inbound): Promise<void> {
    if (this.closing) return;
    const { joinRef, ref, topic } = msg;
    if (msg.kind === 'user_broadcast') {
      const channel = this.channels.get(topic);
      if (!channel || (joinRef !== null && joinRef !== channel.joinRef)) return this.unmatched(joinRef, ref, topic);
      if (msg.encoding === 'json' && !isJson(msg.payload)) return this.disconnect('invalid message: broadcast payload is not JSON', 1007);
      return channel.handleUserBroadcast({ event: msg.event, encoding: msg.encoding, payload: msg.payload }, ref);
    }
    const { event, payload } = msg;
    if (topic === 'phoenix') {
      if (event === 'heartbeat') return this.reply(null, ref, topic, 'ok', {});
      return this.unmatched(joinRef, ref, topic);
    }
    if (event === 'phx_join') return this.join(msg.joinRef ?? msg.ref, ref, topic, payload);
    const channel = this.channels.get(topic);
    if (event === 'phx_leave') {
      if (channel) channel.leave(ref);
      else this.reply(joinRef, ref, topic, 'ok', {});
      return;
    }
    if (!channel || (this.vsn === '2.0.0' && joinRef !== channel.joinRef)) return this.unmatched(joinRef, ref, topic);
    return channel.handle(event, payload, ref);
  }

  private async join(joinRef: string | null, ref: string | null, topic: string, payload: unknown): Promise<void> {
    if (!topic.startsWith('realtime:')) return this.unmatched(joinRef, ref, topic);
    // A second join of a topic replaces the first, as in Phoenix.
    this.channels.get(topic)?.dispose();
    const limits = this.ctx.limits;
    if (this.channels.size >= limits.maxChannelsPerClient) {
      return this.reply(joinRef, ref, topic, 'error', { reason: 'ChannelRateLimitReached: Too many channels' });
    }
    const channel = new Channel(this, this.ctx, topic, joinRef);
    this.channels.set(topic, channel);
    let result;
    try {
      result = await channel.join(payload);
    } catch (err) {
      this.ctx.log(`realtime: join of ${topic} failed: ${(err as Error).stack}`);
      result = { ok: false as const, reason: 'UnknownErrorOnChannel: Unknown Error on Channel' };
    }
    if (this.closing || this.channels.get(topic) !== channel) {
      channel.dispose();
      return;
    }
    if (!result.ok) {
      channel.dispose();
      return this.reply(joinRef, ref, topic, 'error', { reason: result.reason });
    }
    this.reply(joinRef, ref, topic, 'ok', result.response);
    channel.afterJoin();
  }

  private onClose(): void {
    this.closing = true;
    if (this.closed && this.channels.size === 0) return;
    this.closed = true;
    clearInterval(this.idleTimer);
    if (this.ws.readyState === WebSocket.CLOSED) clearTimeout(this.closeTimer);
    for (const channel of [...this.channels.values()]) channel.dispose();
    this.channels.clear();
  }
}

function isJson(payload: Buffer): boolean {
  try {
    JSON.parse(payload.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
