import { QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '../query-client.ts';
import { readAgain } from '../read-again.ts';

/** A query whose reads finish only when the test says, counting how many started. */
function slowQuery() {
  const queryClient = createQueryClient({ queries: { retry: false, staleTime: Infinity } });
  const pending: Array<() => void> = [];
  let started = 0;
  const observer = new QueryObserver(queryClient, {
    queryKey: ['stock'],
    queryFn: () => {
      started += 1;
      const n = started;
      return new Promise<number>((resolve) => pending.push(() => resolve(n)));
    },
  });
  const unsubscribe = observer.subscribe(() => {});
  const finishNext = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { queryClient, started: () => started, finishNext, data: () => queryClient.getQueryData<number>(['stock']), unsubscribe };
}

describe('reading again after an announced change', () => {
  it('follows a read already under way with one more, whatever the number of announcements', async () => {
    const q = slowQuery();
    expect(q.started()).toBe(1);
    // Three changes announced while the first read (which may predate them) is under way.
    const settled = Promise.all([readAgain(q.queryClient, ['stock']), readAgain(q.queryClient, ['stock']), readAgain(q.queryClient, ['stock'])]);
    expect(q.started()).toBe(1);
    await q.finishNext();
    expect(q.started()).toBe(2);
    await q.finishNext();
    await settled;
    expect(q.started()).toBe(2);
    expect(q.data()).toBe(2);
    q.unsubscribe();
  });

  it('reads once when nothing is under way', async () => {
    const q = slowQuery();
    await q.finishNext();
    expect(q.data()).toBe(1);
    const done = readAgain(q.queryClient, ['stock']);
    expect(q.started()).toBe(2);
    await q.finishNext();
    await done;
    expect(q.started()).toBe(2);
    expect(q.data()).toBe(2);
    q.unsubscribe();
  });
});
