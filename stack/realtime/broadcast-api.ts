import type { ApiRequest, ApiResponse } from '../service.ts';
import type { RealtimeContext } from './context.ts';
import { Hub } from './hub.ts';
import { writeAccess } from './policies.ts';
import { checkToken } from './token.ts';

const accepted: ApiResponse = { status: 202, body: '' };
const unauthorized: ApiResponse = { status: 401, body: { message: 'Unauthorized' } };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The caller's claims: the Bearer token, else the apikey (Realtime's AuthTenant plug). */
function callerClaims(req: ApiRequest, ctx: RealtimeContext) {
  const bearer = /^bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const token = bearer ?? header(req, 'apikey') ?? req.url.searchParams.get('apikey') ?? undefined;
  if (!token) return undefined;
  const check = checkToken(token, ctx.jwtSecret);
  return check.ok ? check.claims : undefined;
}

function xHeaders(req: ApiRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => k.startsWith('x-') && typeof v === 'string') as Array<[string, string]>);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** POST /api/broadcast: `{messages: [{topic, event, payload, private?, id?}]}` → 202. */
export async function batchBroadcast(req: ApiRequest, ctx: RealtimeContext): Promise<ApiResponse> {
  const claims = callerClaims(req, ctx);
  if (!claims) return unauthorized;
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isObject(parsed.value)) return { status: 422, body: { errors: { messages: ["can't be blank"] } } };
  const list = parsed.value.messages;
  if (!Array.isArray(list) || list.length === 0) {
    return { status: 422, body: { errors: { messages: [list === undefined || Array.isArray(list) ? "can't be blank" : 'is invalid'] } } };
  }
  let invalid = false;
  const errors = list.map((m) => {
    const e: Record<string, string[]> = {};
    if (!isObject(m)) {
      invalid = true;
      return { messages: ['is invalid'] };
    }
    for (const field of ['topic', 'event'] as const) {
      if (m[field] === undefined || m[field] === null || m[field] === '') e[field] = ["can't be blank"];
      else if (typeof m[field] !== 'string') e[field] = ['is invalid'];
    }
    if (m.payload === undefined || m.payload === null) e.payload = ["can't be blank"];
    else if (!isObject(m.payload)) e.payload = ['is invalid'];
    else if (Buffer.byteLength(JSON.stringify(m.payload)) > ctx.limits.maxPayloadBytes) e.payload = ['Payload size exceeds tenant limit'];
    if (m.private !== undefined && m.private !== null && typeof m.private !== 'boolean') e.private = ['is invalid'];
    if (Object.keys(e).length > 0) invalid = true;
    return e;
  });
  if (invalid) return { status: 422, body: { errors: { messages: errors } } };

  const allowed = new Map<string, boolean>();
  for (const m of list as Array<Record<string, unknown>>) {
    const topic = m.topic as string;
    const isPrivate = m.private === true;
    if (isPrivate) {
      if (!allowed.has(topic)) {
        const ok = await writeAccess(ctx.pool, { topic, claims, headers: xHeaders(req) }, 'broadcast').catch(() => false);
        allowed.set(topic, ok);
      }
      if (!allowed.get(topic)) continue;
    }
    const payload: Record<string, unknown> = { type: 'broadcast', event: m.event, payload: m.payload };
    if (m.id !== undefined) payload.meta = { id: m.id };
    ctx.hub.publish(Hub.key(topic, isPrivate), { kind: 'json', event: 'broadcast', payload });
  }
  return accepted;
}

/** POST /api/broadcast/:topic/events/:event[?private=true]: one message, JSON or binary body → 202. */
export async function singleBroadcast(req: ApiRequest, ctx: RealtimeContext, topic: string, event: string): Promise<ApiResponse> {
  const claims = callerClaims(req, ctx);
  if (!claims) return unauthorized;
  const isPrivate = req.url.searchParams.get('private') === 'true';
  const binary = (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/octet-stream');
  if (req.body.length === 0) return { status: 422, body: { errors: { payload: ["can't be blank"] } } };
  let payload: Buffer;
  if (binary) {
    payload = req.body;
  } else {
    const parsed = parseJson(req.body);
    if (!parsed.ok) return { status: 422, body: { errors: { payload: ['is invalid'] } } };
    if (parsed.value === null || parsed.value === undefined) return { status: 422, body: { errors: { payload: ["can't be blank"] } } };
    payload = Buffer.from(JSON.stringify(parsed.value), 'utf8');
  }
  if (payload.length > ctx.limits.maxPayloadBytes) return { status: 422, body: { errors: { payload: ['Payload size exceeds tenant limit'] } } };
  if (isPrivate) {
    let ok: boolean;
    try {
      ok = await writeAccess(ctx.pool, { topic, claims, headers: xHeaders(req) }, 'broadcast');
    } catch (err) {
      ctx.log(`realtime: RlsPolicyError on ${topic}: ${(err as Error).message}`);
      return { status: 422, body: { message: 'RLS policy error' } };
    }
    if (!ok) return { status: 403, body: { message: 'Unauthorized' } };
  }
  ctx.hub.publish(Hub.key(topic, isPrivate), { kind: 'user_broadcast', broadcast: { event, encoding: binary ? 'binary' : 'json', payload } });
  return accepted;
}
