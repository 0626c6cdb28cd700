import { create } from 'zustand';

interface DismissedHoldsState {
  /** Reservation ids of lapsed holds the shopper cleared from the cart view (UI state: the holds themselves stay on the server). */
  ids: ReadonlySet<string>;
  holdDismissed: (reservationId: string) => void;
}

export const useDismissedHolds = create<DismissedHoldsState>()((set) => ({
  ids: new Set(),
  holdDismissed: (reservationId) => set((s) => ({ ids: new Set(s.ids).add(reservationId) })),
}));
