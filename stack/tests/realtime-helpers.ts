import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { stack } from './support.ts';

/** Subscribes and resolves with the first final status (SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED). */
export function subscribe(channel: RealtimeChannel): Promise<{ status: string; error?: Error }> {
  return new Promise((resolve) => {
    channel.subscribe((status, error) => resolve({ status, error }));
  });
}

export async function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
  const { status, error } = await subscribe(channel);
  if (status !== 'SUBSCRIBED') throw new Error(`channel ${channel.topic}: ${status} ${error?.message ?? ''}`);
  return channel;
}

/** Collects events and waits for them. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  readonly push = (item: T): void => {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  };

  /** Waits until `count` items (matching `match`, if given) have arrived; returns them. */
  async wait(count: number, match: (item: T) => boolean = () => true, timeoutMs = 10_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.items.filter(match);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} events, have ${found.length}: ${JSON.stringify(this.items).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function closeClients(...clients: SupabaseClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
}

/** A bare Phoenix client over `ws`, to check frames byte for byte. */
export class RawSocket {
  readonly frames: Array<{ text?: string; binary?: Buffer; json?: unknown }> = [];
  closed: { code: number; reason: string } | undefined;
  private readonly inbox = new Inbox<{ text?: string; binary?: Buffer; json?: unknown }>();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? { binary: data as Buffer } : { text: data.toString(), json: JSON.parse(data.toString()) as unknown };
      this.frames.push(frame);
      this.inbox.push(frame);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.inbox.push({});
    });
  }

  static async open(vsn = '2.0.0', apikey = stack().anonKey, apiUrl = stack().apiUrl): Promise<RawSocket> {
    const url = `${apiUrl.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`;
    const ws = new WebSocket(url);
    const socket = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The next JSON frame matching `match`. */
  async next(match: (json: unknown[] & Record<string, unknown>) => boolean = () => true, timeoutMs = 5000): Promise<unknown> {
    const found = await this.inbox.wait(1, (f) => f.json !== undefined && match(f.json as unknown[] & Record<string, unknown>), timeoutMs);
    const frame = found[0]!;
    this.inbox.items.splice(this.inbox.items.indexOf(frame), 1);
    return frame.json;
  }

  async nextBinary(timeoutMs = 5000): Promise<Buffer> {
    const found = await this.inbox.wait(1, (f) => f.binary !== undefined, timeoutMs);
    const frame = found[0]!;
    this.inbox.items.splice(this.inbox.items.indexOf(frame), 1);
    return frame.binary!;
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    await this.inbox.wait(1, () => this.closed !== undefined, timeoutMs);
    return this.closed!;
  }

  /** Waits for the reply to `ref` (vsn 2.0.0 frames). */
  reply(ref: string, timeoutMs = 5000): Promise<unknown> {
    return this.next((f) => Array.isArray(f) && f[1] === ref && f[3] === 'phx_reply', timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}
