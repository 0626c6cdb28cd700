import { useEffect, useRef } from 'react';
import { subscribeLive } from './live-channel.ts';
import { createSnapshotGate, type SnapshotGate } from './snapshot-gate.ts';
import { supabase } from './supabase.ts';

export interface LiveChannelSpec {
  /** Unique among the channels on screen (the live badge's id for it), and standing for its topic. */
  id: string;
  topic: string;
  /** What it feeds, named by the live badge when it is down. */
  label: string;
  /** A private topic, authorised by RLS on realtime.messages. */
  private?: boolean;
  /** The broadcast event to receive. */
  event: string;
  onEvent: (payload: unknown) => void;
}

/**
 * Keeps the given broadcast channels joined (joining new ones, leaving the ones no longer given,
 * all on unmount) for data cached in react-query. `read` refetches that data: it runs once every
 * channel is live after a (re)join, as one read for a group that joins together (see
 * createSnapshotGate). Events go to the latest `onEvent` of their spec.
 */
export function useLiveChannels(specs: readonly LiveChannelSpec[], read: () => void): void {
  const latest = useRef({ specs: new Map<string, LiveChannelSpec>(), read });
  const joined = useRef(new Map<string, () => void>());
  const gate = useRef<SnapshotGate | null>(null);

  useEffect(() => {
    latest.current = { specs: new Map(specs.map((spec) => [spec.id, spec])), read };
  });

  const key = specs
    .map((s) => s.id)
    .sort()
    .join(' ');

  useEffect(() => {
    gate.current ??= createSnapshotGate(() => latest.current.read());
    const current = latest.current.specs;
    // The effect above ran first, so `current` holds this render's specs.
    for (const [id, leave] of joined.current) {
      if (current.has(id)) continue;
      joined.current.delete(id);
      gate.current.untrack(id);
      leave();
    }
    for (const spec of current.values()) {
      if (joined.current.has(spec.id)) continue;
      const channel = supabase
        .channel(spec.topic, spec.private ? { config: { private: true } } : undefined)
        .on('broadcast', { event: spec.event }, ({ payload }) => latest.current.specs.get(spec.id)?.onEvent(payload));
      gate.current.track(spec.id);
      joined.current.set(spec.id, subscribeLive(channel, { id: spec.id, label: spec.label, onSubscribed: gate.current.subscribed }));
    }
  }, [key]);

  useEffect(() => {
    const current = joined.current;
    return () => {
      gate.current?.dispose();
      gate.current = null;
      for (const leave of current.values()) leave();
      current.clear();
    };
  }, []);
}
