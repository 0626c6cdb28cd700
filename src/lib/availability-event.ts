// The public availability feeds (supabase/README.md): what several screens follow live.

/** The payload of an `availability` broadcast (vendor:<id>:availability, product:<id>:availability). */
export interface AvailabilityEvent {
  product_id: string;
  available: number;
  version: number;
}

/** Every availability change of a vendor's active products, on one public topic. */
export const vendorAvailabilityTopic = (vendorId: string) => `vendor:${vendorId}:availability`;

/** The event, or undefined when the payload is not one (it comes off the network). */
export function parseAvailabilityEvent(payload: unknown): AvailabilityEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { product_id, available, version } = payload as Record<string, unknown>;
  if (typeof product_id !== 'string' || !Number.isInteger(available) || !Number.isInteger(version)) return undefined;
  return { product_id, available: available as number, version: version as number };
}
