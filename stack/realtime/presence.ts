import { randomBytes } from 'node:crypto';
import type { Hub, Member } from './hub.ts';

type Meta = Record<string, unknown>;
type Entry = { key: string; ref: string; meta: Meta };
type Grouped = Record<string, { metas: Meta[] }>;

/** Phoenix.Presence references: short random strings, unique per track. */
const newRef = () => randomBytes(9).toString('base64url');

function group(entries: Iterable<Entry>, extra: (e: Entry) => Meta = () => ({})): Grouped {
  const out: Grouped = {};
  for (const e of entries) (out[e.key] ??= { metas: [] }).metas.push({ ...e.meta, phx_ref: e.ref, ...extra(e) });
  return out;
}

/**
 * Presence per topic, in the shape of Phoenix.Presence: `presence_state` is
 * `{key: {metas: [{phx_ref, ...meta}]}}` and `presence_diff` is `{joins, leaves}` of the same shape.
 * One entry per channel: tracking again replaces it (a leave of the old meta and a join of the new
 * one carrying `phx_ref_prev`), as Phoenix.Tracker updates do.
 */
export class Presence {
  private readonly topics = new Map<string, Map<Member, Entry>>();

  constructor(private readonly hub: Hub) {}

  state(topicKey: string): Grouped {
    return group(this.topics.get(topicKey)?.values() ?? []);
  }

  track(topicKey: string, member: Member, key: string, meta: Meta): void {
    let entries = this.topics.get(topicKey);
    if (!entries) this.topics.set(topicKey, (entries = new Map()));
    const previous = entries.get(member);
    const entry: Entry = { key, ref: newRef(), meta };
    entries.set(member, entry);
    const joins = group([entry], () => (previous ? { phx_ref_prev: previous.ref } : {}));
    this.diff(topicKey, joins, previous ? group([previous]) : {});
  }

  untrack(topicKey: string, member: Member): void {
    const entries = this.topics.get(topicKey);
    const previous = entries?.get(member);
    if (!entries || !previous) return;
    entries.delete(member);
    if (entries.size === 0) this.topics.delete(topicKey);
    this.diff(topicKey, {}, group([previous]));
  }

  isTracked(topicKey: string, member: Member): boolean {
    return this.topics.get(topicKey)?.has(member) ?? false;
  }

  private diff(topicKey: string, joins: Grouped, leaves: Grouped): void {
    this.hub.publish(topicKey, { kind: 'json', event: 'presence_diff', payload: { joins, leaves } }, undefined, (m) => m.canReadPresence);
  }
}
