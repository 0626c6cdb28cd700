/**
 * Phoenix channel frames as Supabase Realtime speaks them: vsn 1.0.0 (JSON objects) and vsn 2.0.0
 * (JSON arrays `[join_ref, ref, topic, event, payload]`, plus binary frames for user broadcasts:
 * kind 3 "user broadcast push" from the client, kind 4 "user broadcast" to the client).
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface PhxMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A broadcast whose user payload is carried as bytes (JSON text or raw binary), never re-parsed. */
export interface UserBroadcast {
  topic: string;
  event: string;
  encoding: 'json' | 'binary';
  payload: Buffer;
  meta?: Record<string, unknown>;
}

export type Inbound =
  | ({ kind: 'message' } & PhxMessage)
  | ({ kind: 'user_broadcast'; joinRef: string | null; ref: string | null } & UserBroadcast);

export class FrameError extends Error {}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const JSON_ENCODING = 1;

const refOrNull = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new FrameError('join_ref and ref must be strings or null');
};

function checkMessage(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): PhxMessage {
  if (typeof topic !== 'string' || typeof event !== 'string') throw new FrameError('topic and event must be strings');
  return { joinRef: refOrNull(joinRef), ref: refOrNull(ref), topic, event, payload };
}

function decodeText(text: string, vsn: Vsn): Inbound {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FrameError('frame is not valid JSON');
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length < 5) throw new FrameError('expected V2 array');
    return { kind: 'message', ...checkMessage(parsed[0], parsed[1], parsed[2], parsed[3], parsed[4]) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FrameError('expected V1 object');
  const m = parsed as Record<string, unknown>;
  return { kind: 'message', ...checkMessage(m.join_ref, m.ref, m.topic, m.event, m.payload) };
}

function decodeBinary(buf: Buffer): Inbound {
  if (buf.length < 7 || buf[0] !== KIND_USER_BROADCAST_PUSH) throw new FrameError('unsupported binary frame');
  const [joinRefSize, refSize, topicSize, eventSize, metaSize, encoding] = [buf[1]!, buf[2]!, buf[3]!, buf[4]!, buf[5]!, buf[6]!];
  let offset = 7;
  const take = (size: number) => {
    if (offset + size > buf.length) throw new FrameError('binary frame is truncated');
    const part = buf.subarray(offset, offset + size);
    offset += size;
    return part;
  };
  const joinRef = take(joinRefSize).toString('utf8');
  const ref = take(refSize).toString('utf8');
  const topic = take(topicSize).toString('utf8');
  const event = take(eventSize).toString('utf8');
  const metaText = take(metaSize).toString('utf8');
  let meta: Record<string, unknown> | undefined;
  if (metaSize > 0) {
    try {
      const parsed: unknown = JSON.parse(metaText);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) meta = parsed as Record<string, unknown>;
    } catch {
      throw new FrameError('binary frame metadata is not valid JSON');
    }
  }
  return {
    kind: 'user_broadcast',
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event,
    encoding: encoding === JSON_ENCODING ? 'json' : 'binary',
    payload: Buffer.from(buf.subarray(offset)),
    meta,
  };
}

export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn): Inbound {
  if (!isBinary) return decodeText(data.toString('utf8'), vsn);
  if (vsn === '1.0.0') throw new FrameError('binary frames need vsn 2.0.0');
  return decodeBinary(data);
}

export function encodeMessage(msg: PhxMessage, vsn: Vsn): string {
  if (vsn === '2.0.0') return JSON.stringify([msg.joinRef, msg.ref, msg.topic, msg.event, msg.payload]);
  return JSON.stringify({ topic: msg.topic, event: msg.event, payload: msg.payload, ref: msg.ref, join_ref: msg.joinRef });
}

export function encodeReply(joinRef: string | null, ref: string | null, topic: string, status: 'ok' | 'error', response: unknown, vsn: Vsn): string {
  return encodeMessage({ joinRef, ref, topic, event: 'phx_reply', payload: { status, response } }, vsn);
}

/**
 * A user broadcast for a subscriber: the binary kind-4 frame realtime-js decodes on vsn 2.0.0; on
 * vsn 1.0.0 (which cannot carry bytes) the JSON `broadcast` event, or nothing for binary payloads.
 */
export function encodeUserBroadcast(b: UserBroadcast, vsn: Vsn): string | Buffer | undefined {
  if (vsn === '1.0.0') {
    if (b.encoding === 'binary') return undefined;
    const payload: Record<string, unknown> = { type: 'broadcast', event: b.event, payload: JSON.parse(b.payload.toString('utf8')) };
    if (b.meta) payload.meta = b.meta;
    return encodeMessage({ joinRef: null, ref: null, topic: b.topic, event: 'broadcast', payload }, vsn);
  }
  const topic = Buffer.from(b.topic, 'utf8');
  const event = Buffer.from(b.event, 'utf8');
  const meta = Buffer.from(b.meta ? JSON.stringify(b.meta) : '', 'utf8');
  if (topic.length > 255 || event.length > 255 || meta.length > 255) return undefined;
  const header = Buffer.from([KIND_USER_BROADCAST, topic.length, event.length, meta.length, b.encoding === 'json' ? JSON_ENCODING : 0]);
  return Buffer.concat([header, topic, event, meta, b.payload]);
}
