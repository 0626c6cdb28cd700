import { encodeMessage, encodeUserBroadcast, type UserBroadcast, type Vsn } from './serializer.ts';

/** What the hub needs from a joined channel. */
export interface Member {
  readonly topic: string;
  readonly vsn: Vsn;
  /** Public channels always; private ones when RLS let them read broadcasts at join. */
  readonly canReadBroadcast: boolean;
  readonly canReadPresence: boolean;
  send(frame: string | Buffer): void;
}

/** A message for every member of a topic, encoded once per protocol version. */
export type Fanout =
  | { kind: 'json'; event: string; payload: unknown }
  | { kind: 'user_broadcast'; broadcast: Omit<UserBroadcast, 'topic'> };

/**
 * Channels by topic. Public and private channels of the same name are separate topics, as on
 * Supabase (a private broadcast reaches only private channels of that name, and the reverse).
 */
export class Hub {
  private readonly topics = new Map<string, Set<Member>>();

  static key(subTopic: string, isPrivate: boolean): string {
    return `${isPrivate ? 'private' : 'public'}:${subTopic}`;
  }

  add(key: string, member: Member): void {
    let set = this.topics.get(key);
    if (!set) this.topics.set(key, (set = new Set()));
    set.add(member);
  }

  remove(key: string, member: Member): void {
    const set = this.topics.get(key);
    if (!set) return;
    set.delete(member);
    if (set.size === 0) this.topics.delete(key);
  }

  /** Sends to every member of the topic except `except`; returns how many received it. */
  publish(key: string, message: Fanout, except?: Member, filter: (m: Member) => boolean = (m) => m.canReadBroadcast): number {
    const set = this.topics.get(key);
    if (!set) return 0;
    const encoded = new Map<Vsn, string | Buffer | undefined>();
    let count = 0;
    for (const member of set) {
      if (member === except || !filter(member)) continue;
      let frame = encoded.get(member.vsn);
      if (!encoded.has(member.vsn)) {
        frame = message.kind === 'json'
          ? encodeMessage({ joinRef: null, ref: null, topic: member.topic, event: message.event, payload: message.payload }, member.vsn)
          : encodeUserBroadcast({ ...message.broadcast, topic: member.topic }, member.vsn);
        encoded.set(member.vsn, frame);
      }
      if (frame === undefined) continue;
      member.send(frame);
      count++;
    }
    return count;
  }
}
