import { createHash } from 'node:crypto';
import type { Client } from './accounts.ts';
import type { Tally } from './tally.ts';

export interface CatalogItem {
  productId: string;
  vendorId: string;
  sku: string;
  available: number;
  version: number;
  /** How often shoppers pick it, relative to the others (a few products sell much more). */
  weight: number;
}

interface AvailabilityEvent {
  product_id: string;
  available: number;
  version: number;
}

/**
 * What shoppers see of the target vendors: `product_availability`, kept current by the public
 * `vendor:<id>:availability` topics, as the shop page does.
 */
export class Catalog {
  private readonly items = new Map<string, CatalogItem>();

  constructor(
    private readonly client: Client,
    readonly vendorIds: string[],
    private readonly tally: Tally,
    private readonly log: (line: string) => void,
  ) {}

  get size(): number {
    return this.items.size;
  }

  async load(signal: AbortSignal): Promise<void> {
    const { data, error } = await this.client
      .from('product_availability')
      .select('product_id, vendor_id, sku, available, version')
      .in('vendor_id', this.vendorIds)
      .abortSignal(signal);
    if (error) {
      if (signal.aborted) return;
      throw new Error(`reading the catalog failed: ${error.message}`);
    }
    const seen = new Set<string>();
    for (const row of data) {
      const productId = row.product_id!;
      seen.add(productId);
      const item = this.items.get(productId);
      if (item) this.merge({ product_id: productId, available: row.available ?? 0, version: row.version ?? 0 });
      else this.items.set(productId, { productId, vendorId: row.vendor_id!, sku: row.sku!, available: row.available ?? 0, version: row.version ?? 0, weight: 1 });
    }
    // Products made inactive since the last read are gone from the view.
    for (const id of this.items.keys()) if (!seen.has(id)) this.items.delete(id);
    this.weigh();
  }

  subscribe(signal: AbortSignal): void {
    for (const vendorId of this.vendorIds) {
      this.client
        .channel(`vendor:${vendorId}:availability`)
        .on('broadcast', { event: 'availability' }, ({ payload }) => this.merge(payload as AvailabilityEvent))
        .subscribe((status, err) => {
          // Events may have been missed while (re)joining: read a snapshot, as the shop does.
          if (status === 'SUBSCRIBED') this.load(signal).catch((error: Error) => this.log(error.message));
          else if (status !== 'CLOSED') this.log(`vendor:${vendorId}:availability ${status}${err ? ` (${err.message})` : ''}; reading the catalog every 30 s meanwhile`);
        });
    }
  }

  /** A product to reserve, weighted by popularity; `inStock` limits the choice to what shows as available. */
  pick(inStock: boolean): CatalogItem | undefined {
    const candidates = [...this.items.values()].filter((item) => !inStock || item.available > 0);
    let roll = Math.random() * candidates.reduce((sum, item) => sum + item.weight, 0);
    for (const item of candidates) {
      roll -= item.weight;
      if (roll <= 0) return item;
    }
    return candidates.at(-1);
  }

  drop(productId: string): void {
    this.items.delete(productId);
  }

  private merge(event: AvailabilityEvent): void {
    if (event.available < 0) this.tally.violation(`product ${event.product_id} shows ${event.available} available`);
    const item = this.items.get(event.product_id);
    if (!item || event.version <= item.version) return;
    item.available = event.available;
    item.version = event.version;
  }

  /** A long tail: the n-th most popular product (in a fixed order) sells like 1/n^0.8. */
  private weigh(): void {
    const ranked = [...this.items.values()].sort((a, b) => rank(a.productId).localeCompare(rank(b.productId)));
    ranked.forEach((item, i) => (item.weight = 1 / (i + 1) ** 0.8));
  }
}

const rank = (id: string) => createHash('md5').update(id).digest('hex');
