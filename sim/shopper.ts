import { randomUUID } from 'node:crypto';
import type { Account } from './accounts.ts';
import { callRpc } from './call.ts';
import type { Catalog } from './catalog.ts';
import type { Pacer } from './pacer.ts';
import { between, pick } from './random.ts';
import type { Tally } from './tally.ts';

export interface ShopperSettings {
  /** Share of holds made with a short TTL and then left alone until they expire. */
  abandonShare: number;
  /** TTL range, in seconds, of those holds. */
  shortTtlSeconds: readonly [number, number];
  /** TTL range, in seconds, of the holds the shopper means to check out or release. */
  holdTtlSeconds: readonly [number, number];
}

interface Hold {
  id: string;
  vendorId: string;
  quantity: number;
  expiresAt: number;
  /** Left alone until it expires. */
  abandoned: boolean;
  /** A checkout of it was tried after it lapsed. */
  retried: boolean;
}

const MAX_HOLDS = 3;
/** Lapsed holds watched per shopper at most (when nothing expires them, the oldest are let go). */
const MAX_LAPSED = 50;
/** A hold this close to its expiry is not checked out or released any more: it would race the clock. */
const MARGIN_MS = 3_000;

/**
 * A shopper with a cart of holds (reservations): reserves what the catalog shows, checks out or
 * releases some holds, leaves others to expire, and sometimes comes back to a lapsed hold and tries
 * to check it out, as people do.
 */
export class Shopper {
  private holds: Hold[] = [];
  /** Holds past their expiry, until the server is seen to have expired them. */
  private lapsed: Hold[] = [];
  private busy = false;

  constructor(
    private readonly account: Account,
    private readonly pacer: Pacer,
    private readonly catalog: Catalog,
    private readonly tally: Tally,
    private readonly settings: ShopperSettings,
  ) {}

  get holding(): number {
    return this.holds.length;
  }

  ready(now: number): boolean {
    return !this.busy && this.pacer.ready(now);
  }

  async act(signal: AbortSignal): Promise<void> {
    if (!this.pacer.tryTake()) return;
    this.busy = true;
    try {
      const now = Date.now();
      this.lapse(now);
      const live = this.holds.filter((h) => !h.abandoned && h.expiresAt - now > MARGIN_MS);
      const forgotten = this.lapsed.find((h) => !h.retried);
      if (forgotten && Math.random() < 0.15) {
        forgotten.retried = true;
        await this.checkout([forgotten], signal);
      } else if (live.length >= MAX_HOLDS || (live.length > 0 && Math.random() < 0.5)) {
        if (Math.random() < 0.7) {
          const vendorId = pick(live)!.vendorId;
          await this.checkout(live.filter((h) => h.vendorId === vendorId), signal);
        } else {
          await this.release(pick(live)!, signal);
        }
      } else {
        await this.reserve(signal);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Reads the lapsed holds and counts those the server has expired. */
  async watchExpiries(signal: AbortSignal): Promise<void> {
    this.lapse(Date.now());
    if (this.busy || this.lapsed.length === 0) return;
    this.busy = true;
    try {
      await this.refresh(this.lapsed.map((h) => h.id), signal);
    } finally {
      this.busy = false;
    }
  }

  private async reserve(signal: AbortSignal): Promise<void> {
    const item = this.catalog.pick(Math.random() < 0.85);
    if (!item) return;
    const quantity = Math.random() < 0.7 ? 1 : Math.random() < 0.67 ? 2 : 3;
    const abandoned = Math.random() < this.settings.abandonShare;
    const ttl = between(...(abandoned ? this.settings.shortTtlSeconds : this.settings.holdTtlSeconds));
    const key = `sim-reserve-${randomUUID()}`;
    const result = await callRpc({ tally: this.tally, pacer: this.pacer, signal }, 'reserve', (s) =>
      this.account.client.rpc('reserve_stock', { product_id: item.productId, quantity, ttl_seconds: ttl, idempotency_key: key }).abortSignal(s),
    );
    if (result.ok) {
      const row = result.data;
      this.holds.push({ id: row.id, vendorId: row.vendor_id, quantity: row.quantity, expiresAt: Date.parse(row.expires_at), abandoned, retried: false });
    } else if (result.code === 'product_not_found') {
      this.catalog.drop(item.productId);
    }
  }

  private async release(hold: Hold, signal: AbortSignal): Promise<void> {
    const key = `sim-release-${randomUUID()}`;
    const result = await callRpc({ tally: this.tally, pacer: this.pacer, signal }, 'release', (s) =>
      this.account.client.rpc('release_reservation', { reservation_id: hold.id, idempotency_key: key }).abortSignal(s),
    );
    if (result.ok) this.forget([hold.id]);
    else if (!result.aborted) await this.refresh([hold.id], signal);
  }

  private async checkout(holds: Hold[], signal: AbortSignal): Promise<void> {
    const ids = holds.map((h) => h.id);
    const key = `sim-checkout-${randomUUID()}`;
    const result = await callRpc({ tally: this.tally, pacer: this.pacer, signal }, 'checkout', (s) =>
      this.account.client.rpc('checkout', { reservation_ids: ids, idempotency_key: key }).abortSignal(s),
    );
    if (result.ok) {
      const units = holds.reduce((sum, h) => sum + h.quantity, 0);
      if (result.data.item_count !== units) this.tally.violation(`order ${result.data.id} has ${result.data.item_count} items for ${units} units held`);
      this.forget(ids);
    } else if (!result.aborted) {
      await this.refresh(ids, signal);
    }
  }

  /** Moves holds past their expiry to `lapsed`. */
  private lapse(now: number): void {
    const due = this.holds.filter((h) => h.expiresAt <= now);
    if (due.length === 0) return;
    this.holds = this.holds.filter((h) => h.expiresAt > now);
    this.lapsed.push(...due);
    if (this.lapsed.length > MAX_LAPSED) this.lapsed.splice(0, this.lapsed.length - MAX_LAPSED);
  }

  private forget(ids: string[]): void {
    this.holds = this.holds.filter((h) => !ids.includes(h.id));
    this.lapsed = this.lapsed.filter((h) => !ids.includes(h.id));
  }

  /** Reads the holds' status: expired ones are counted, ended ones forgotten, active ones kept. */
  private async refresh(ids: string[], signal: AbortSignal): Promise<void> {
    const { data, error, status } = await this.account.client.from('reservations').select('id, status').in('id', ids).abortSignal(signal);
    if (error) return void (signal.aborted || this.tally.otherFailure(`${this.account.email} reading holds`, status, error.message));
    const ended = data.filter((r) => r.status !== 'active');
    this.tally.expired += ended.filter((r) => r.status === 'expired').length;
    this.forget(ended.map((r) => r.id));
    this.lapse(Date.now());
  }
}
