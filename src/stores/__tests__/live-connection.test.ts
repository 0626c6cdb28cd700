import { beforeEach, describe, expect, it } from 'vitest';
import { summarize, useLiveConnection } from '../live-connection.ts';

beforeEach(() => useLiveConnection.setState({ channels: {}, syncedAt: null }));

describe('the live connection summary', () => {
  it('is idle without channels, live only when every channel is subscribed, reconnecting naming what is down', () => {
    expect(summarize({})).toEqual({ status: 'idle' });
    expect(summarize({ a: { state: 'connecting', label: 'x' }, b: { state: 'live', label: 'y' } })).toEqual({ status: 'connecting' });
    expect(summarize({ a: { state: 'live', label: 'x' }, b: { state: 'live', label: 'y' } })).toEqual({ status: 'live' });
    expect(
      summarize({ a: { state: 'offline', label: 'stock levels' }, b: { state: 'offline', label: 'stock levels' }, c: { state: 'live', label: 'shop' } }),
    ).toEqual({ status: 'reconnecting', affected: ['stock levels'] });
  });

  it('records a sync at most once a second, and forgets removed channels', () => {
    const { synced, channelChanged, channelRemoved } = useLiveConnection.getState();
    synced(10_000);
    synced(10_500);
    expect(useLiveConnection.getState().syncedAt).toBe(10_000);
    synced(11_000);
    expect(useLiveConnection.getState().syncedAt).toBe(11_000);
    channelChanged('a', { state: 'live', label: 'x' });
    const before = useLiveConnection.getState().channels;
    channelChanged('a', { state: 'live', label: 'x' });
    expect(useLiveConnection.getState().channels).toBe(before);
    channelRemoved('a');
    expect(useLiveConnection.getState().channels).toEqual({});
  });
});
