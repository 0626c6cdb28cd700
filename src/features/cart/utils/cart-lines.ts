import type { AvailabilityEvent } from '@/lib/availability-event.ts';
import type { Database } from '@/types/database.ts';

export type CartLineRow = Database['public']['Functions']['cart_lines']['Returns'][number];

/**
 * A row of `cart_lines()` with `deadline`: when the hold ends on this device's clock (ms since
 * the epoch). The server says when it ends on its own clock and what time it was there; the
 * difference to this device's clock at receipt is applied, so a device whose clock is off still
 * counts down the time the server will honour.
 */
export type CartLine = CartLineRow & { deadline: number };

export function toCartLine(row: CartLineRow, receivedAt: number): CartLine {
  const skew = Date.parse(row.server_time) - receivedAt;
  return { ...row, deadline: Date.parse(row.expires_at) - skew };
}

export type HoldState = 'held' | 'ending' | 'expired';

/** Under a minute left, the countdown turns amber. */
export const ENDING_MS = 60_000;

export function holdState(line: Pick<CartLine, 'status' | 'deadline'>, now: number): HoldState {
  if (line.status !== 'active' || line.deadline <= now) return 'expired';
  return line.deadline - now < ENDING_MS ? 'ending' : 'held';
}

export const isHeld = (line: Pick<CartLine, 'status' | 'deadline'>, now: number) => holdState(line, now) !== 'expired';

/** Units held right now: the figure beside "Cart" in the header. */
export function heldCount(lines: readonly CartLine[], now: number): number {
  return lines.reduce((n, line) => (isHeld(line, now) ? n + line.quantity : n), 0);
}

/** The soonest deadline still ahead, to re-render exactly when a hold lapses. */
export function nextDeadline(lines: readonly CartLine[], now: number): number | undefined {
  let next: number | undefined;
  for (const line of lines) if (line.status === 'active' && line.deadline > now && (next === undefined || line.deadline < next)) next = line.deadline;
  return next;
}

export interface VendorCart {
  vendorId: string;
  vendorName: string;
  lines: CartLine[];
  /** Lines still held: what "Checkout <vendor>" buys. */
  held: CartLine[];
  itemCount: number;
  subtotal: number;
}

/** Lines by vendor, in the server's order (vendor name, then when reserved); totals count held lines only. */
export function groupByVendor(lines: readonly CartLine[], now: number): VendorCart[] {
  const groups = new Map<string, VendorCart>();
  for (const line of lines) {
    let group = groups.get(line.vendor_id);
    if (!group) {
      group = { vendorId: line.vendor_id, vendorName: line.vendor_name, lines: [], held: [], itemCount: 0, subtotal: 0 };
      groups.set(line.vendor_id, group);
    }
    group.lines.push(line);
    if (isHeld(line, now)) {
      group.held.push(line);
      group.itemCount += line.quantity;
      group.subtotal += line.quantity * line.unit_price;
    }
  }
  for (const group of groups.values()) group.subtotal = Math.round(group.subtotal * 100) / 100;
  return [...groups.values()];
}

/** The most a line may ask for: what it holds plus what is available now across the product's locations. */
export const maxQuantity = (line: Pick<CartLine, 'quantity' | 'available'>) => line.quantity + Math.max(0, line.available);

/** The lines with a product's newer availability applied; the same array when nothing changes. */
export function applyAvailability(lines: CartLine[], event: AvailabilityEvent): CartLine[] {
  let changed = false;
  const next = lines.map((line) => {
    if (line.product_id !== event.product_id || event.version <= line.availability_version) return line;
    changed = true;
    return { ...line, available: event.available, availability_version: event.version };
  });
  return changed ? next : lines;
}

/**
 * A fresh read of the cart, except for products whose cached availability is newer (an event
 * that arrived while the read was under way): the read must not undo it.
 */
export function keepNewerAvailability(previous: readonly CartLine[] | undefined, next: CartLine[]): CartLine[] {
  if (!previous) return next;
  const newest = new Map<string, CartLine>();
  for (const line of previous) {
    const held = newest.get(line.product_id);
    if (!held || line.availability_version > held.availability_version) newest.set(line.product_id, line);
  }
  return next.map((line) => {
    const held = newest.get(line.product_id);
    return held && held.availability_version > line.availability_version
      ? { ...line, available: held.available, availability_version: held.availability_version }
      : line;
  });
}

/** The id and version of a `reservation` broadcast (customer:<id>:cart), or undefined when the payload is not one. */
export function parseReservationEvent(payload: unknown): { id: string; version: number } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { id, version } = payload as Record<string, unknown>;
  return typeof id === 'string' && Number.isInteger(version) ? { id, version: version as number } : undefined;
}

/** Whether the cached lines already reflect this change of a reservation (our own change, read back after it). */
export const alreadyRead = (lines: readonly CartLine[] | undefined, event: { id: string; version: number }) =>
  lines?.some((line) => line.reservation_id === event.id && line.version >= event.version) ?? false;

/** A hold's length as a shopper reads it: "10 min", "1 min 30 s", "45 s". */
export function formatHoldTime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
