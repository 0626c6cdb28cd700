import { randomUUID } from 'node:crypto';
import type { Account } from './accounts.ts';
import { callRpc, sleep } from './call.ts';
import { checkLevel, levelKey, type Level, type LevelRow } from './levels.ts';
import type { Pacer } from './pacer.ts';
import { between, pick } from './random.ts';
import type { Tally } from './tally.ts';

const LEVEL_COLUMNS = 'product_id, location_id, on_hand, reserved, available, version';

export interface DeskSettings {
  /** Seconds from noticing a product is low to receiving its delivery: low and sold-out stay visible a while. */
  deliveryLagSeconds: readonly [number, number];
  /** Seconds a cycle count takes between reading the level and setting it: shoppers may change it meanwhile. */
  countingSeconds: readonly [number, number];
}

/**
 * One vendor account working one vendor's stock, as its staff would: deliveries for what runs
 * low, damage and corrections, and cycle counts by compare-and-set against the level it read.
 * Its view is the vendor's levels, kept current by the private `vendor:<id>:stock` topic.
 */
export class VendorDesk {
  private readonly levels = new Map<string, Level>();
  /** Active products and their low-stock thresholds. */
  private readonly thresholds = new Map<string, number>();
  /** Deliveries on their way: product id → when it arrives. */
  private readonly deliveries = new Map<string, number>();
  private busy = false;

  constructor(
    private readonly account: Account,
    readonly vendorId: string,
    /** The account's share of the server's rate limit (shared by its desks). */
    private readonly pacer: Pacer,
    /** How often this desk acts at most, leaving the account's limit to people using it. */
    private readonly cadence: Pacer,
    private readonly tally: Tally,
    private readonly settings: DeskSettings,
    private readonly log: (line: string) => void,
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
      if (!signal.aborted) this.tally.otherFailure(`${this.email} reading vendor ${this.vendorId}`, products.status || levels.status, message);
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
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') void this.load(signal);
        else if (status !== 'CLOSED') this.log(`${this.email}: vendor:${this.vendorId}:stock ${status}${err ? ` (${err.message})` : ''}; reading the levels every minute meanwhile`);
      });
  }

  /** One stock change, chosen from what the desk sees. */
  async act(signal: AbortSignal): Promise<void> {
    if (!this.cadence.tryTake() || !this.pacer.tryTake()) return;
    this.busy = true;
    try {
      const levels = [...this.levels.values()].filter((l) => this.thresholds.has(l.product_id));
      const now = Date.now();
      for (const productId of this.lowProducts(levels)) {
        if (!this.deliveries.has(productId)) this.deliveries.set(productId, now + between(...this.settings.deliveryLagSeconds) * 1000);
      }
      const arrived = [...this.deliveries].find(([, at]) => at <= now)?.[0];
      const roll = Math.random();
      if (arrived) {
        // The delivery, of a few times the threshold, goes to one of the product's locations.
        this.deliveries.delete(arrived);
        const level = pick(levels.filter((l) => l.product_id === arrived));
        if (level) await this.adjust(level, Math.max(3, this.thresholds.get(arrived)! * between(2, 4)), 'received', signal);
      } else if (roll < 0.2) {
        const level = pick(levels.filter((l) => l.available >= 1));
        if (level) await this.adjust(level, -1, 'damaged', signal);
      } else if (roll < 0.4) {
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

  /** Products whose availability, all locations together, is at or below their threshold: lowest first. */
  private lowProducts(levels: Level[]): string[] {
    const available = new Map<string, number>();
    for (const l of levels) available.set(l.product_id, (available.get(l.product_id) ?? 0) + l.available);
    return [...available]
      .filter(([id, units]) => units <= this.thresholds.get(id)!)
      .sort(([, a], [, b]) => a - b)
      .map(([id]) => id);
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
   * A cycle count: read the level, count the shelf (which takes a while), set on hand to what was
   * counted against the version read. Someone else changed the level meanwhile? Read it again and
   * set it once more, as a person would.
   */
  private async count(seen: Level, signal: AbortSignal): Promise<void> {
    const difference = pick([-1, 0, 0, 1, 2])!;
    await sleep(between(...this.settings.countingSeconds) * 1000, signal);
    let level = seen;
    for (let attempt = 0; attempt < 2 && !signal.aborted; attempt++) {
      const onHand = Math.max(level.reserved, level.on_hand + difference);
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
      if (error) return void (signal.aborted || this.tally.otherFailure(`${this.email} re-reading a level`, status, error.message));
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
