import type { Tables } from '@/types/database.ts';

export type Location = Pick<Tables<'locations'>, 'id' | 'name'>;

export interface Level {
  location_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  /** Grows with every change of the level; events carry it, so older ones are dropped. */
  version: number;
  updated_at: string;
}

export type ProductFields = Pick<Tables<'products'>, 'id' | 'sku' | 'name' | 'description' | 'price' | 'low_stock_threshold' | 'active' | 'updated_at'>;

export interface StockProduct extends ProductFields {
  /** By location id; a product has no level at a location it was never stocked at. */
  levels: Record<string, Level>;
}

/** What the inventory grid shows of one vendor. Product objects keep their identity until they change, so rows re-render only then. */
export interface StockSnapshot {
  locations: Location[];
  products: Record<string, StockProduct>;
  /** Product ids in SKU order. */
  ids: string[];
}

/** The payload of a `stock_level` broadcast on `vendor:<id>:stock`. */
export interface LevelEvent extends Level {
  product_id: string;
}

const isInt = (v: unknown): v is number => Number.isInteger(v);

/** The event, or undefined when the payload is not one (it comes off the network). */
export function parseLevelEvent(payload: unknown): LevelEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.product_id !== 'string' || typeof p.location_id !== 'string' || typeof p.updated_at !== 'string') return undefined;
  if (!isInt(p.on_hand) || !isInt(p.reserved) || !isInt(p.available) || !isInt(p.version)) return undefined;
  return {
    product_id: p.product_id,
    location_id: p.location_id,
    on_hand: p.on_hand,
    reserved: p.reserved,
    available: p.available,
    version: p.version,
    updated_at: p.updated_at,
  };
}

export interface LevelChange {
  product: StockProduct;
  locationId: string;
  before: Level | undefined;
  after: Level;
}

export interface AppliedEvents {
  snapshot: StockSnapshot;
  changes: LevelChange[];
  /** Events about products the snapshot does not list (a product added since): the caller refetches. */
  unknown: number;
}

/**
 * The snapshot with the events applied, each only if newer than the level it holds (older and
 * duplicate events are dropped, whatever order they came in). The same snapshot when nothing changed.
 */
export function applyLevelEvents(snapshot: StockSnapshot, events: readonly LevelEvent[]): AppliedEvents {
  let products: Record<string, StockProduct> | undefined;
  const changes: LevelChange[] = [];
  let unknown = 0;
  for (const event of events) {
    const current = (products ?? snapshot.products)[event.product_id];
    if (!current) {
      unknown += 1;
      continue;
    }
    const before = current.levels[event.location_id];
    if (before && event.version <= before.version) continue;
    const { product_id: _productId, ...after } = event;
    const product = { ...current, levels: { ...current.levels, [event.location_id]: after } };
    products ??= { ...snapshot.products };
    products[product.id] = product;
    changes.push({ product, locationId: event.location_id, before, after });
  }
  return { snapshot: products ? { ...snapshot, products } : snapshot, changes, unknown };
}

function productFieldsOf(p: ProductFields): ProductFields {
  return { id: p.id, sku: p.sku, name: p.name, description: p.description, price: p.price, low_stock_threshold: p.low_stock_threshold, active: p.active, updated_at: p.updated_at };
}

function sameFields(a: ProductFields, b: ProductFields): boolean {
  return (
    a.sku === b.sku &&
    a.name === b.name &&
    a.description === b.description &&
    a.price === b.price &&
    a.low_stock_threshold === b.low_stock_threshold &&
    a.active === b.active &&
    a.updated_at === b.updated_at
  );
}

/**
 * A fresh snapshot merged with the cached one: a level the cache holds at a higher version, or a
 * product edit it holds with a later `updated_at` (events that arrived while the snapshot was
 * read), is kept; products that did not change keep their object, so their rows do not re-render.
 */
export function mergeSnapshot(previous: StockSnapshot | undefined, next: StockSnapshot): StockSnapshot {
  if (!previous) return next;
  const products: Record<string, StockProduct> = {};
  for (const id of next.ids) {
    const fresh = next.products[id]!;
    const cached = previous.products[id];
    if (cached === fresh) {
      // Written by applyLevelEvents, which only creates objects for what changed.
      products[id] = fresh;
      continue;
    }
    if (!cached) {
      products[id] = fresh;
      continue;
    }
    // A product edit that arrived as an event after this snapshot was read is newer than the snapshot's.
    const fields = Date.parse(cached.updated_at) > Date.parse(fresh.updated_at) ? cached : fresh;
    const levels: Record<string, Level> = {};
    let same = sameFields(cached, fields) && Object.keys(cached.levels).length === Object.keys(fresh.levels).length;
    for (const [locationId, level] of Object.entries(fresh.levels)) {
      const held = cached.levels[locationId];
      const kept = held && held.version >= level.version ? held : level;
      levels[locationId] = kept;
      if (kept !== held) same = false;
    }
    products[id] = same ? cached : { ...fresh, ...productFieldsOf(fields), levels };
  }
  const sameLocations =
    previous.locations.length === next.locations.length && previous.locations.every((l, i) => l.id === next.locations[i]!.id && l.name === next.locations[i]!.name);
  return { locations: sameLocations ? previous.locations : next.locations, products, ids: next.ids };
}

/** A level returned by a stock RPC, written into the snapshot unless the snapshot holds a newer one. */
export function applyReturnedLevel(snapshot: StockSnapshot, level: Tables<'inventory_levels'>): StockSnapshot {
  return applyLevelEvents(snapshot, [
    {
      product_id: level.product_id,
      location_id: level.location_id,
      on_hand: level.on_hand,
      reserved: level.reserved,
      available: level.available ?? level.on_hand - level.reserved,
      version: level.version,
      updated_at: level.updated_at,
    },
  ]).snapshot;
}

/** The payload of a `product` broadcast on `vendor:<id>:stock` (a member's edit or a new product). */
export function parseProductEvent(payload: unknown): ProductFields | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const strings = ['id', 'sku', 'name', 'description', 'updated_at'] as const;
  if (strings.some((k) => typeof p[k] !== 'string') || typeof p.price !== 'number' || !Number.isInteger(p.low_stock_threshold) || typeof p.active !== 'boolean') return undefined;
  return {
    id: p.id as string,
    sku: p.sku as string,
    name: p.name as string,
    description: p.description as string,
    price: p.price,
    low_stock_threshold: p.low_stock_threshold as number,
    active: p.active,
    updated_at: p.updated_at as string,
  };
}

/**
 * The snapshot with a product's new fields (its levels kept), unless the cache holds a later edit;
 * undefined when the product is not in the snapshot (the caller refetches it).
 */
export function applyProductEvent(snapshot: StockSnapshot, fields: ProductFields): StockSnapshot | undefined {
  const current = snapshot.products[fields.id];
  if (!current) return undefined;
  if (Date.parse(fields.updated_at) < Date.parse(current.updated_at)) return snapshot;
  return { ...snapshot, products: { ...snapshot.products, [fields.id]: { ...current, ...fields } } };
}
