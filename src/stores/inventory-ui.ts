import { create } from 'zustand';

export type StockDialogMode = 'adjust' | 'set';

export interface StockDialogTarget {
  mode: StockDialogMode;
  productId: string;
  /** Preselected location; the dialog lets the user pick another. */
  locationId: string | null;
}

interface InventoryUiState {
  stockDialog: StockDialogTarget | null;
  /** The keyboard cursor in the grid: the product id of the focused row. */
  activeProductId: string | null;
  stockDialogOpened: (target: StockDialogTarget) => void;
  stockDialogClosed: () => void;
  rowFocused: (productId: string) => void;
}

/** UI state of the inventory workspace: which stock dialog is open, where the keyboard cursor is. No rows here. */
export const useInventoryUi = create<InventoryUiState>()((set) => ({
  stockDialog: null,
  activeProductId: null,
  stockDialogOpened: (target) => set({ stockDialog: target }),
  stockDialogClosed: () => set({ stockDialog: null }),
  rowFocused: (productId) => set({ activeProductId: productId }),
}));
