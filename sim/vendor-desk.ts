import { randomUUID } from 'node:crypto';
import type { Account } from './accounts.ts';
import { callRpc } from './call.ts';
import { checkLevel, levelKey, type Level, type LevelRow } from './levels.ts';
import type { Pacer } from './pacer.ts';
import type { Tally } from './tally.ts';

const LEVEL_COLUMNS = 'product_id, location_id, on_hand, reserved, available, version';

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * One vendor account working one vendor's stock, as its staff would: deliveries for what runs
 * low, damage and corrections, and cycle counts by compare-and-set against the level it last saw.
 * Its view is the vendor's levels, kept current by the private `vendor:<id>:stock` topic.
 */
export class VendorDesk {
  private readonly levels = new Map<string, Level>();
  /** Active products and their low-stock thresholds. */
  private readonly thresholds = new Map<string, number>();
  private busy = false;

  constructor(
    private readonly account: Account,
    readonly vendorId: string,
    /** The account's share of the server's rate limit (shared by its desks). */
    private readonly pacer: Pacer,
    /** How often this desk acts at most, leaving the account's limit to people using it. */
    private readonly cadence: Pacer,
    private readonly tally: Tally,
  ) {}

  get email(): string {
    return this.account.email;
  }

  ready(now: number): boolean {
    return !this.busy && this.thresholds.size > 0 && this.cadence.ready(now) && this.pacer.ready(now);
  }

  async load(signal: AbortSignal): Promise<void> {
    const client = this.account.client;
    const [products, levels] = await Promise.all([
      client.from('products').select('id, low_stock_threshold, active').eq('vendor_id', this.vendorId).abortSignal(signal),
      client.from('inventory_levels').select(LEVEL_COLUMNS).eq('vendor_id', this.vendorId).abortSignal(signal),
    ]);
    if (products.error || levels.error) {
      const message = (products.error ?? levels.error)!.message;
      if (!signal.aborted) this.tally.readFailure(`${this.email} reading vendor ${this.vendorId}`, products.status || levels.status, message);
      return;
    }
    this.thresholds.clear();
    for (const p of products.data) if (p.active) this.thresholds.set(p.id, p.low_stock_threshold);
    for (const row of levels.data) this.see(row, 'inventory_levels');
  }

  subscribe(signal: AbortSignal): void {
    this.account.client
      .channel(`vendor:${this.vendorId}:stock`, { config: { private: true } })
      .on('broadcast', { event: 'stock_level' }, ({ payload }) => this.see(payload as LevelRow, 'vendor feed'))
      .subscribe((status) => {
        if (status === 'SUBSCRIBED') void this.load(signal);
      });
  }

  /** One stock change, chosen from what the desk sees. */
  async act(signal: AbortSignal): Promise<void> {
    if (!this.cadence.tryTake() || !this.pacer.tryTake()) return;
    this.busy = true;
    try {
      const levels = [...this.levels.values()].filter((l) => this.thresholds.has(l.product_id));
      const low = levels.filter((l) => l.available <= this.thresholds.get(l.product_id)!);
      const roll = Math.random();
      if (roll < 0.35 && low.length > 0) {
        const level = low.sort((a, b) => a.available - b.available)[between(0, Math.min(2, low.length - 1))]!;
        const threshold = this.thresholds.get(level.product_id)!;
        await this.adjust(level, Math.max(3, threshold * between(3, 5) - level.available), 'received', signal);
      } else if (roll < 0.45) {
        const level = pick(levels.filter((l) => l.available >= 1));
        if (level) await this.adjust(level, -1, 'damaged', signal);
      } else if (roll < 0.55) {
        const level = pick(levels);
        if (level) await this.adjust(level, level.available >= 2 && Math.random() < 0.5 ? -between(1, 2) : between(1, 2), 'correction', signal);
      } else {
        const level = pick(levels);
        if (level) await this.count(level, signal);
      }
    } finally {
      this.busy = false;
    }
  }

  private async adjust(level: Level, delta: number, reason: string, signal: AbortSignal): Promise<void> {
    const key = `sim-adjust-${randomUUID()}`;
    const result = await callRpc({ tally: this.tally, pacer: this.pacer, signal }, 'adjust', (s) =>
      this.account.client
        .rpc('adjust_stock', { product_id: level.product_id, location_id: level.location_id, delta, reason, idempotency_key: key })
        .abortSignal(s),
    );
    if (result.ok) this.see(result.data, 'adjust_stock');
  }

  /**
   * A cycle count: on hand as counted (close to what the desk saw), against the version it saw.
   * Someone else changed the level meanwhile? Read it again and count once more, as a person would.
   */
  private async count(seen: Level, signal: AbortSignal): Promise<void> {
    let level = seen;
    for (let attempt = 0; attempt < 2; attempt++) {
      const onHand = Math.max(level.reserved, level.on_hand + (pick([-1, 0, 0, 1, 2]) ?? 0));
      const key = `sim-count-${randomUUID()}`;
      const result = await callRpc({ tally: this.tally, pacer: this.pacer, signal }, 'count', (s) =>
        this.account.client
          .rpc('set_stock', { product_id: level.product_id, location_id: level.location_id, on_hand: onHand, expected_version: level.version, idempotency_key: key })
          .abortSignal(s),
      );
      if (result.ok) {
        this.see(result.data, 'set_stock');
        return;
      }
      if (result.code !== 'version_conflict' || !this.pacer.tryTake()) return;
      const { data, error, status } = await this.account.client
        .from('inventory_levels')
        .select(LEVEL_COLUMNS)
        .eq('product_id', level.product_id)
        .eq('location_id', level.location_id)
        .abortSignal(signal)
        .single();
      if (error) return void (signal.aborted || this.tally.readFailure(`${this.email} re-reading a level`, status, error.message));
      level = this.see(data, 'inventory_levels');
    }
  }

  /** Takes a row into the view unless the view already holds a newer version; checks it either way. */
  private see(row: LevelRow, source: string): Level {
    checkLevel(this.tally, row, source);
    const held = this.levels.get(levelKey(row));
    if (held && held.version >= row.version) return held;
    const { product_id, location_id, on_hand, reserved, version } = row;
    const level = { product_id, location_id, on_hand, reserved, available: on_hand - reserved, version };
    this.levels.set(levelKey(row), level);
    return level;
  }
}
