import { create } from 'zustand';

interface AnnouncerState {
  message: string;
  announce: (message: string) => void;
}

/** The text of the shell's one polite live region. Callers summarise and throttle; see LiveAnnouncer. */
export const useAnnouncer = create<AnnouncerState>()((set) => ({
  message: '',
  // A zero-width space toggled on repeats, so the same sentence twice is still announced twice.
  announce: (message) => set((s) => ({ message: s.message === message ? `${message}\u200b` : message })),
}));
