import type { Tally } from './tally.ts';

/** A stock level as the RPCs, the table and the vendor feed return it. */
export interface LevelRow {
  product_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  /** A stored generated column: never null, though the generated types say it may be. */
  available: number | null;
  version: number;
}

/** A level in a desk's view. */
export interface Level extends LevelRow {
  available: number;
}

export const levelKey = (row: Pick<LevelRow, 'product_id' | 'location_id'>) => `${row.product_id}/${row.location_id}`;

/** Counts a row that breaks the stock invariants: what an oversell would look like. */
export function checkLevel(tally: Tally, row: LevelRow, source: string): void {
  const { on_hand: onHand, reserved, available } = row;
  if (onHand < 0 || reserved < 0 || reserved > onHand || available !== onHand - reserved) {
    tally.violation(`${source}: level ${levelKey(row)} has on_hand ${onHand}, reserved ${reserved}, available ${available}`);
  }
}
