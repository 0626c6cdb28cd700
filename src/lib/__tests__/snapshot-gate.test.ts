import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { createSnapshotGate } from '../snapshot-gate.ts';

beforeEach(() => {
  useLiveConnection.setState({ channels: {}, syncedAt: null });
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const set = (id: string, state: 'connecting' | 'live' | 'offline') => useLiveConnection.getState().channelChanged(id, { state, label: 'x' });

describe('createSnapshotGate', () => {
  it('reads once when the last channel of the group joins, not once per channel', () => {
    const read = vi.fn();
    const gate = createSnapshotGate(read);
    for (const id of ['a', 'b', 'c']) {
      gate.track(id);
      set(id, 'connecting');
    }
    for (const id of ['a', 'b']) {
      set(id, 'live');
      gate.subscribed();
    }
    expect(read).not.toHaveBeenCalled();
    set('c', 'live');
    gate.subscribed();
    expect(read).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('reads again after a rejoin, once for a burst of rejoins', () => {
    const read = vi.fn();
    const gate = createSnapshotGate(read);
    for (const id of ['a', 'b']) {
      gate.track(id);
      set(id, 'live');
    }
    gate.subscribed();
    expect(read).toHaveBeenCalledTimes(1);
    set('a', 'offline');
    set('b', 'offline');
    set('a', 'live');
    gate.subscribed();
    set('b', 'live');
    gate.subscribed();
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('does not let a channel that stays down hold the read back past the fallback', () => {
    const read = vi.fn();
    const gate = createSnapshotGate(read, 2000);
    gate.track('a');
    gate.track('b');
    set('a', 'live');
    set('b', 'offline');
    gate.subscribed();
    vi.advanceTimersByTime(1999);
    expect(read).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('reads when the channel it waited for leaves the group, and never after dispose', () => {
    const read = vi.fn();
    const gate = createSnapshotGate(read);
    gate.track('a');
    gate.track('b');
    set('a', 'live');
    gate.subscribed();
    gate.untrack('b');
    expect(read).toHaveBeenCalledTimes(1);

    set('a', 'offline');
    gate.track('c');
    set('a', 'live');
    gate.subscribed();
    gate.dispose();
    vi.advanceTimersByTime(10_000);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
