import type { Vsn } from '../serializer.ts';
import type { BindingParams } from './params.ts';

/** What a change subscription needs from its channel. */
export interface ChangesListener {
  readonly topic: string;
  readonly vsn: Vsn;
  /** The subscriber's current role and claims (they change on access_token pushes). */
  identity(): { role: string; claims: string };
  send(frame: string | Buffer): void;
}

export interface ChangeSubscription {
  listener: ChangesListener;
  /** The binding id echoed in the join reply and listed in `ids` of each change. */
  id: number;
  params: BindingParams;
}

/** Subscriptions by table oid, fixed at subscribe time (as Supabase's realtime.subscription rows). */
export class ChangeRegistry {
  private readonly byEntity = new Map<number, Set<ChangeSubscription>>();
  private readonly byListener = new Map<ChangesListener, Array<{ sub: ChangeSubscription; entities: number[] }>>();

  add(sub: ChangeSubscription, entities: number[]): void {
    for (const oid of entities) {
      let set = this.byEntity.get(oid);
      if (!set) this.byEntity.set(oid, (set = new Set()));
      set.add(sub);
    }
    const list = this.byListener.get(sub.listener) ?? [];
    list.push({ sub, entities });
    this.byListener.set(sub.listener, list);
  }

  removeListener(listener: ChangesListener): void {
    for (const { sub, entities } of this.byListener.get(listener) ?? []) {
      for (const oid of entities) {
        const set = this.byEntity.get(oid);
        set?.delete(sub);
        if (set?.size === 0) this.byEntity.delete(oid);
      }
    }
    this.byListener.delete(listener);
  }

  match(oid: number, action: 'INSERT' | 'UPDATE' | 'DELETE'): ChangeSubscription[] {
    const out: ChangeSubscription[] = [];
    for (const sub of this.byEntity.get(oid) ?? []) if (sub.params.event === '*' || sub.params.event === action) out.push(sub);
    return out;
  }
}
