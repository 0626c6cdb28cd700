import { useEffect, useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { subscribeLive } from '@/lib/live-channel.ts';
import { lagOnServerClock, type ClockEstimate } from '@/lib/telemetry/clock-offset.ts';
import { supabase, telemetry } from '@/lib/supabase.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { useMonitoringView } from '@/stores/monitoring-view.ts';
import { MONITORING_META } from '../hooks/use-live-query.ts';
import { addCanary, emptyCanary, parseCanary, type CanaryState } from '../utils/canary.ts';
import { monitoringKeys } from './keys.ts';

/** The canaries this page received, as the cache holds them (written by useRealtimeCanary). */
export function useCanary() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: monitoringKeys.canary(),
    queryFn: () => queryClient.getQueryData<CanaryState>(monitoringKeys.canary()) ?? emptyCanary(),
    staleTime: Infinity,
    meta: MONITORING_META,
  });
}

/**
 * Times the realtime canary on arrival: joins the private monitoring:canary topic (admins only,
 * by RLS), converts each arrival to the server's clock with the offset estimate, reports the lag
 * to telemetry and writes it into the cache (not while the view is paused).
 */
export function useRealtimeCanary(): void {
  const queryClient = useQueryClient();
  const paused = useRef(useMonitoringView.getState().paused);
  useEffect(() => useMonitoringView.subscribe((s) => void (paused.current = s.paused)), []);

  useEffect(() => {
    const channel = supabase.channel('monitoring:canary', { config: { private: true } }).on('broadcast', { event: 'canary' }, ({ payload }) => {
      const arrivedAt = Date.now();
      const event = parseCanary(payload);
      const clock = queryClient.getQueryData<ClockEstimate>(monitoringKeys.clock());
      if (!event || !clock) return;
      const lagMs = lagOnServerClock(event.sentAt, arrivedAt, clock);
      telemetry.recordLag(lagMs);
      useLiveConnection.getState().synced();
      if (paused.current) return;
      queryClient.setQueryData<CanaryState>(monitoringKeys.canary(), (state) => addCanary(state ?? emptyCanary(), event, lagMs, arrivedAt + clock.offsetMs));
    });
    return subscribeLive(channel, { id: 'monitoring:canary', label: 'realtime canary', onSubscribed: () => undefined });
  }, [queryClient]);
}
