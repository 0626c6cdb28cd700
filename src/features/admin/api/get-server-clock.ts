import { queryOptions, useQuery } from '@tanstack/react-query';
import { estimateOffset, type ClockEstimate, type ClockSample } from '@/lib/telemetry/clock-offset.ts';
import { supabase } from '@/lib/supabase.ts';
import { MONITORING_META } from '../hooks/use-live-query.ts';
import { monitoringKeys } from './keys.ts';

const ROUND_TRIPS = 4;

/** The server's clock against the browser's, from a few round trips of admin_clock (NTP-style). */
export async function getServerClock(signal: AbortSignal): Promise<ClockEstimate> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = Date.now();
    const { data, error } = await supabase.rpc('admin_clock').abortSignal(signal);
    const t3 = Date.now();
    if (error) throw error;
    samples.push({ t0, server: data, t3 });
  }
  const estimate = estimateOffset(samples);
  if (!estimate) throw new Error('The server clock could not be read');
  return estimate;
}

export const serverClockQueryOptions = () =>
  queryOptions({ queryKey: monitoringKeys.clock(), queryFn: ({ signal }) => getServerClock(signal), staleTime: 60_000, refetchInterval: 60_000, meta: MONITORING_META });

export const useServerClock = () => useQuery(serverClockQueryOptions());
