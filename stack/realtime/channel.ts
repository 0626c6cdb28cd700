import { randomUUID } from 'node:crypto';
import { bindingsFrom, checkBindings, type Binding } from './changes/bindings.ts';
import type { ChangesListener } from './changes/registry.ts';
import type { RealtimeContext } from './context.ts';
import { Hub, type Member } from './hub.ts';
import { readAccess, writeAccess, type AuthContext } from './policies.ts';
import { replayMessages } from './replay.ts';
import type { UserBroadcast, Vsn } from './serializer.ts';
import { checkToken, type TokenCheck } from './token.ts';

/** The socket a channel lives on. */
export interface ChannelSocket {
  readonly vsn: Vsn;
  /** The apikey the socket connected with: the token of joins that carry no access_token. */
  readonly apiKeyToken: string;
  readonly headers: Record<string, string>;
  send(frame: string | Buffer): void;
  push(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): void;
  reply(joinRef: string | null, ref: string | null, topic: string, status: 'ok' | 'error', response: unknown): void;
  channelClosed(channel: Channel): void;
  disconnect(reason: string): void;
}

export type JoinResult = { ok: true; response: unknown } | { ok: false; reason: string };

const CONFIRM_TOKEN_MS = 5 * 60 * 1000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Realtime's FlexibleBoolean: booleans and "true"/"false" strings. */
const flag = (v: unknown) => v === true || v === 'true';

/**
 * A joined `realtime:<name>` topic: Supabase's RealtimeChannel. Handles broadcast, presence,
 * postgres_changes bindings and token refresh for one socket.
 */
export class Channel implements Member, ChangesListener {
  readonly subTopic: string;
  readonly vsn: Vsn;
  isPrivate = false;
  canReadBroadcast = true;
  canReadPresence = true;
  private ack = false;
  private self = false;
  private presenceKey = '';
  private presenceEnabled = false;
  private presencePayload: string | undefined;
  private writeBroadcast: boolean | undefined;
  private writePresence: boolean | undefined;
  private accessToken = '';
  private claims: Extract<TokenCheck, { ok: true }>['claims'] = { role: 'anon', exp: 0 };
  private claimsJson = '{}';
  private bindings: Binding[] = [];
  private pendingSystem: Array<Record<string, unknown>> = [];
  private pendingPushes: Array<{ event: string; payload: unknown }> = [];
  private tokenTimer: NodeJS.Timeout | undefined;
  private eventWindow = { start: 0, count: 0 };
  private presenceWindow = { start: 0, count: 0 };
  private joined = false;
  private closed = false;

  constructor(
    private readonly socket: ChannelSocket,
    private readonly ctx: RealtimeContext,
    readonly topic: string,
    readonly joinRef: string | null,
  ) {
    this.subTopic = topic.slice('realtime:'.length);
    this.vsn = socket.vsn;
  }

  get hubKey(): string {
    return Hub.key(this.subTopic, this.isPrivate);
  }

  identity() {
    return { role: this.claims.role, claims: this.claimsJson };
  }

  send(frame: string | Buffer): void {
    if (!this.closed) this.socket.send(frame);
  }

  private push(event: string, payload: unknown): void {
    if (!this.closed) this.socket.push(this.joinRef, null, this.topic, event, payload);
  }

  private reply(ref: string | null, status: 'ok' | 'error', response: unknown = {}): void {
    if (!this.closed) this.socket.reply(this.joinRef, ref, this.topic, status, response);
  }

  private system(extension: string, status: 'ok' | 'error', message: string): Record<string, unknown> {
    return { extension, status, message, channel: this.subTopic };
  }

  private authContext(): AuthContext {
    return { topic: this.subTopic, claims: this.claims, headers: this.socket.headers };
  }

  async join(payload: unknown): Promise<JoinResult> {
    if (this.subTopic === '') return { ok: false, reason: 'TopicNameRequired: You must provide a topic name' };
    if (!isObject(payload)) return { ok: false, reason: `UnknownErrorOnChannel: expected params to be a map, got: ${JSON.stringify(payload)}` };
    const config = isObject(payload.config) ? payload.config : {};
    const broadcast = isObject(config.broadcast) ? config.broadcast : {};
    const presence = isObject(config.presence) ? config.presence : {};
    this.ack = flag(broadcast.ack);
    this.self = flag(broadcast.self);
    this.presenceEnabled = flag(presence.enabled);
    this.presenceKey = typeof presence.key === 'string' && presence.key !== '' ? presence.key : randomUUID();
    this.isPrivate = flag(config.private);

    const given = typeof payload.access_token === 'string' ? payload.access_token : typeof payload.user_token === 'string' ? payload.user_token : undefined;
    this.accessToken = given && !given.startsWith('sb_') ? given : this.socket.apiKeyToken;
    const check = checkToken(this.accessToken, this.ctx.jwtSecret);
    if (!check.ok) return { ok: false, reason: `${check.refusal.code}: ${check.refusal.message}` };
    this.setClaims(check.claims);
    // Every channel may get changes or database broadcasts, which only the replication stream brings.
    if (!this.ctx.replicationReady()) return { ok: false, reason: 'UnableToConnectToProject: Realtime was unable to connect to the project database' };

    const unauthorized = `Unauthorized: You do not have permissions to read from this Channel topic: ${this.subTopic}`;
    if (this.isPrivate) {
      try {
        const access = await readAccess(this.ctx.pool, this.authContext(), this.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast']);
        if (!access.broadcast && !access.presence) return { ok: false, reason: unauthorized };
        this.canReadBroadcast = access.broadcast;
        this.canReadPresence = access.presence;
      } catch (err) {
        this.ctx.log(`realtime: RlsPolicyError on ${this.subTopic}: ${(err as Error).message}`);
        return { ok: false, reason: unauthorized };
      }
    }

    if (isObject(broadcast.replay)) {
      if (!this.isPrivate) return { ok: false, reason: 'UnableToReplayMessages: Replay is not allowed for public channels' };
      if (!this.canReadBroadcast) return { ok: false, reason: unauthorized };
      const replayed = await replayMessages(this.ctx.pool, this.subTopic, broadcast.replay).catch(() => undefined);
      if (!replayed) return { ok: false, reason: 'UnableToReplayMessages: Replay params are not valid' };
      for (const m of replayed) this.pendingPushes.push({ event: 'broadcast', payload: m });
    }

    this.bindings = bindingsFrom(config.postgres_changes);
    if (this.bindings.length > 0) {
      // Subscribed before the join reply, so a change committed after SUBSCRIBED is delivered.
      const checked = await checkBindings(this.ctx.pool, this.bindings, this.claims.role).catch((err: Error) => ({ ok: false as const, message: err.message }));
      if (checked.ok) {
        for (const s of checked.subscriptions) this.ctx.registry.add({ listener: this, id: s.id, params: s.params }, s.entities);
        this.pendingSystem.push(this.system('postgres_changes', 'ok', 'Subscribed to PostgreSQL'));
      } else {
        this.pendingSystem.push(this.system('postgres_changes', 'error', checked.message));
      }
    }
    if (isObject(broadcast) && flag(broadcast.replication_ready)) {
      this.pendingSystem.push(this.ctx.replicationReady()
        ? this.system('system', 'ok', 'Replication connection established')
        : this.system('system', 'error', 'Replication connection was not established in time'));
    }

    this.ctx.hub.add(this.hubKey, this);
    this.joined = true;
    this.scheduleTokenCheck();
    return { ok: true, response: { postgres_changes: this.bindings.map((b) => ({ ...b.raw, id: b.id })) } };
  }

  /** Pushes that follow the join reply: presence_state, replayed messages, system messages. */
  afterJoin(): void {
    if (this.presenceEnabled && this.canReadPresence) this.push('presence_state', this.ctx.presence.state(this.hubKey));
    for (const p of this.pendingPushes.splice(0)) this.push(p.event, p.payload);
    for (const s of this.pendingSystem.splice(0)) this.push('system', s);
  }

  private setClaims(claims: Extract<TokenCheck, { ok: true }>['claims']): void {
    this.claims = claims;
    this.claimsJson = JSON.stringify(claims);
  }

  private scheduleTokenCheck(): void {
    clearTimeout(this.tokenTimer);
    const untilExpiry = this.claims.exp * 1000 - Date.now();
    this.tokenTimer = setTimeout(() => this.confirmToken(), Math.max(0, Math.min(CONFIRM_TOKEN_MS, untilExpiry)));
    this.tokenTimer.unref();
  }

  private confirmToken(): void {
    if (this.closed) return;
    const check = checkToken(this.accessToken, this.ctx.jwtSecret);
    if (check.ok) this.scheduleTokenCheck();
    else this.shutdown(check.refusal.shutdownMessage);
  }

  /** Supabase counts the client's events per second; over the limit, the channel is shut down. */
  private overRate(window: { start: number; count: number }, max: number, spanMs: number): boolean {
    const now = Date.now();
    if (now - window.start >= spanMs) {
      window.start = now;
      window.count = 0;
    }
    window.count++;
    return window.count > max;
  }

  async handle(event: string, payload: unknown, ref: string | null): Promise<void> {
    if (this.overRate(this.eventWindow, this.ctx.limits.maxEventsPerSecond, 1000)) {
      this.shutdown('Too many messages per second');
      return;
    }
    // As Supabase: other events (and malformed broadcasts) are counted and ignored, without a reply.
    if (event === 'broadcast' && isObject(payload)) await this.broadcast({ kind: 'json', payload }, ref);
    else if (event === 'presence') await this.presenceEvent(payload, ref);
    else if (event === 'access_token' && isObject(payload)) await this.refreshToken(payload.access_token);
  }

  async handleUserBroadcast(b: Omit<UserBroadcast, 'topic'>, ref: string | null): Promise<void> {
    if (this.overRate(this.eventWindow, this.ctx.limits.maxEventsPerSecond, 1000)) {
      this.shutdown('Too many messages per second');
      return;
    }
    await this.broadcast({ kind: 'user', broadcast: b }, ref);
  }

  private async broadcast(msg: { kind: 'json'; payload: Record<string, unknown> } | { kind: 'user'; broadcast: Omit<UserBroadcast, 'topic'> }, ref: string | null): Promise<void> {
    if (this.isPrivate) {
      if (this.writeBroadcast === undefined) {
        try {
          this.writeBroadcast = await writeAccess(this.ctx.pool, this.authContext(), 'broadcast');
        } catch (err) {
          this.ctx.log(`realtime: RlsPolicyError on ${this.subTopic}: ${(err as Error).message}`);
          return;
        }
      }
      // Supabase drops broadcasts the policies do not allow, without a reply.
      if (!this.writeBroadcast) return;
    }
    const size = msg.kind === 'json' ? Buffer.byteLength(JSON.stringify(msg.payload)) : msg.broadcast.payload.length;
    if (size > this.ctx.limits.maxPayloadBytes) {
      if (this.ack) this.reply(ref, 'error', { reason: 'payload_size_exceeded' });
      return;
    }
    const except = this.self ? undefined : this;
    if (msg.kind === 'json') this.ctx.hub.publish(this.hubKey, { kind: 'json', event: 'broadcast', payload: msg.payload }, except);
    else this.ctx.hub.publish(this.hubKey, { kind: 'user_broadcast', broadcast: msg.broadcast }, except);
    if (this.ack) this.reply(ref, 'ok');
  }

  private async presenceEvent(payload: unknown, ref: string | null): Promise<void> {
    if (!isObject(payload) || typeof payload.event !== 'string') {
      this.reply(ref, 'ok');
      return;
    }
    if (this.overRate(this.presenceWindow, this.ctx.limits.presenceMaxCalls, this.ctx.limits.presenceWindowMs)) {
      this.shutdown('Client presence rate limit exceeded');
      return;
    }
    const event = payload.event.toLowerCase();
    if (event === 'untrack') {
      this.ctx.presence.untrack(this.hubKey, this);
      this.presencePayload = undefined;
      this.reply(ref, 'ok');
      return;
    }
    if (event !== 'track') {
      this.ctx.log(`realtime: UnknownPresenceEvent: ${event}`);
      this.reply(ref, 'error');
      return;
    }
    if (this.isPrivate && this.writePresence === undefined) {
      try {
        const auth = this.authContext();
        if (!this.presenceEnabled) this.canReadPresence = (await readAccess(this.ctx.pool, auth, ['presence'])).presence;
        this.writePresence = await writeAccess(this.ctx.pool, auth, 'presence');
      } catch (err) {
        this.ctx.log(`realtime: RlsPolicyError on ${this.subTopic}: ${(err as Error).message}`);
        this.reply(ref, 'error');
        return;
      }
    }
    if (this.isPrivate && !this.writePresence) {
      this.reply(ref, 'error');
      return;
    }
    const meta = payload.payload === undefined ? {} : payload.payload;
    if (!isObject(meta)) {
      this.reply(ref, 'error', { reason: 'Presence track payload must be a map' });
      return;
    }
    const serialized = JSON.stringify(meta);
    if (Buffer.byteLength(serialized) > this.ctx.limits.maxPayloadBytes) {
      this.shutdown('Track message size exceeded');
      return;
    }
    this.presenceEnabled = true;
    if (serialized !== this.presencePayload || !this.ctx.presence.isTracked(this.hubKey, this)) {
      this.presencePayload = serialized;
      this.ctx.presence.track(this.hubKey, this, this.presenceKey, meta);
    }
    this.reply(ref, 'ok');
  }

  private async refreshToken(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.startsWith('sb_') || token === this.accessToken) return;
    const check = checkToken(token, this.ctx.jwtSecret);
    if (!check.ok) {
      this.shutdown(check.refusal.shutdownMessage);
      return;
    }
    this.accessToken = token;
    this.setClaims(check.claims);
    if (this.isPrivate) {
      const before = { broadcast: this.canReadBroadcast, presence: this.canReadPresence };
      try {
        const access = await readAccess(this.ctx.pool, this.authContext(), this.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast']);
        if (!access.broadcast && !access.presence) {
          this.shutdown(`You do not have permissions to read from this Channel topic: ${this.subTopic}`);
          return;
        }
        if ((before.broadcast && !access.broadcast) || (this.presenceEnabled && before.presence && !access.presence)) {
          this.shutdown(`You no longer have permission to read from this Channel topic: ${this.subTopic}`);
          return;
        }
        this.canReadBroadcast = access.broadcast;
        if (this.presenceEnabled) this.canReadPresence = access.presence;
        this.writeBroadcast = undefined;
        this.writePresence = undefined;
      } catch {
        this.shutdown('Realtime was unable to connect to the project database');
        return;
      }
    }
    this.scheduleTokenCheck();
  }

  /** phx_leave: reply, then stop without a phx_close (the client closes the channel itself). */
  leave(ref: string | null): void {
    this.reply(ref, 'ok');
    this.dispose();
  }

  /** Supabase's shutdown_response: a system error, then phx_close. */
  shutdown(message: string): void {
    if (this.closed) return;
    this.push('system', this.system('system', 'error', message));
    this.socket.push(this.joinRef, this.joinRef, this.topic, 'phx_close', {});
    this.dispose();
  }

  /** Frees everything the channel holds; idempotent. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.tokenTimer);
    if (this.joined) {
      this.ctx.presence.untrack(this.hubKey, this);
      this.ctx.hub.remove(this.hubKey, this);
    }
    this.ctx.registry.removeListener(this);
    this.socket.channelClosed(this);
  }
}
