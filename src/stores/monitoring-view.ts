import { create } from 'zustand';

interface MonitoringViewState {
  /** Paused: the admin dashboard stops refreshing, figures stay as they were. */
  paused: boolean;
  pausedAt: number | null;
  pauseToggled: () => void;
}

export const useMonitoringView = create<MonitoringViewState>()((set) => ({
  paused: false,
  pausedAt: null,
  pauseToggled: () => set((s) => (s.paused ? { paused: false, pausedAt: null } : { paused: true, pausedAt: Date.now() })),
}));
