// fast-check generators of hostile Realtime sessions: a raw WebSocket to /realtime/v1/websocket
// that sends malformed Phoenix frames and joins with garbage configs, then one valid heartbeat.
import fc from 'fast-check';
import type { Targets } from './targets.ts';

export interface FuzzSession {
  family: 'realtime';
  /** Query string of the socket URL. */
  query: string;
  /** Frames in order: text, or binary (base64 prefixed with `b64:`). */
  frames: string[];
}

export function realtimeSessions(t: Targets): fc.Arbitrary<FuzzSession> {
  const any = fc.jsonValue({ maxDepth: 3 });
  const topic = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(`realtime:vendor:${t.otherVendorId}:stock`, `realtime:vendor:${t.otherVendorId}:availability`, `realtime:cart:${t.otherCustomerId}`, 'realtime:public:products', 'realtime:', 'phoenix', 'realtime:' + 'x'.repeat(5000), 'realtime:*', '') },
    { weight: 3, arbitrary: fc.string().map((s) => `realtime:${s}`) },
    { weight: 1, arbitrary: any },
  );
  const token = fc.constantFrom(t.customerToken, t.vendorToken, t.anonKey, ...t.forgedTokens, null, 42);
  const config = fc.record({
    broadcast: fc.oneof(fc.record({ self: fc.oneof(fc.boolean(), any), ack: fc.oneof(fc.boolean(), any) }, { requiredKeys: [] }), any),
    presence: fc.oneof(fc.record({ key: fc.oneof(fc.string(), any), enabled: any }, { requiredKeys: [] }), any),
    postgres_changes: fc.oneof(
      fc.array(fc.record({
        event: fc.constantFrom('*', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'nope', ''),
        schema: fc.constantFrom('public', 'private', 'auth', 'realtime', '*', ''),
        table: fc.constantFrom('inventory_levels', 'reservations', 'products', 'rate_limits', 'users', '*', ''),
        filter: fc.oneof(fc.constantFrom(`vendor_id=eq.${t.otherVendorId}`, 'id=in.(1,2,3)', 'id=eq.', '=', 'a=b=c', 'id=like.%', `customer_id=eq.${t.otherCustomerId}`), fc.string()),
      }, { requiredKeys: [] }), { maxLength: 3 }),
      any,
    ),
    private: fc.oneof(fc.boolean(), any),
  }, { requiredKeys: [] });
  const ref = fc.oneof({ weight: 10, arbitrary: fc.nat().map(String) }, fc.constantFrom(null, '', 1, {}));
  const join = fc.tuple(ref, ref, topic, config, token).map(([joinRef, r, top, cfg, tok]) => ({ joinRef, ref: r, topic: top, event: 'phx_join', payload: { config: cfg, access_token: tok } }));
  const event = fc.oneof(
    { weight: 3, arbitrary: join },
    fc.tuple(ref, topic, any).map(([r, top, p]) => ({ joinRef: r, ref: r, topic: top, event: 'broadcast', payload: { type: 'broadcast', event: 'stock_level', payload: p } })),
    fc.tuple(ref, topic, any).map(([r, top, p]) => ({ joinRef: r, ref: r, topic: top, event: 'presence', payload: { type: 'presence', event: 'track', payload: p } })),
    fc.tuple(ref, topic, token).map(([r, top, tok]) => ({ joinRef: r, ref: r, topic: top, event: 'access_token', payload: { access_token: tok } })),
    fc.tuple(ref, topic).map(([r, top]) => ({ joinRef: r, ref: r, topic: top, event: 'phx_leave', payload: {} })),
    fc.tuple(ref, topic, fc.string(), any).map(([r, top, ev, p]) => ({ joinRef: r, ref: r, topic: top, event: ev, payload: p })),
  );
  const v1 = event.map((m) => JSON.stringify({ topic: m.topic, event: m.event, payload: m.payload, ref: m.ref, join_ref: m.joinRef }));
  const v2 = event.map((m) => JSON.stringify([m.joinRef, m.ref, m.topic, m.event, m.payload]));
  const garbage = fc.oneof(
    fc.string(),
    any.map((v) => JSON.stringify(v)),
    fc.constantFrom('', '[', '[null,null,null,null,null]', '[1,2,3]', '{"topic":"phoenix","event":"heartbeat"}', '\u0000', 'x'.repeat(1024 * 1024), '['.repeat(10_000) + ']'.repeat(10_000)),
    fc.uint8Array({ maxLength: 64 }).map((b) => `b64:${Buffer.from(b).toString('base64')}`),
  );
  // Phoenix closes the socket on a frame it cannot decode: garbage is rare so that sessions reach joins.
  const frames = (wellFormed: fc.Arbitrary<string>) => fc.array(fc.oneof({ weight: 12, arbitrary: wellFormed }, { weight: 1, arbitrary: garbage }), { minLength: 1, maxLength: 8 });
  const query = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(`apikey=${t.anonKey}&vsn=2.0.0`, `apikey=${t.anonKey}&vsn=1.0.0`) },
    fc.constantFrom(`apikey=${t.anonKey}&vsn=9.9.9`, 'apikey=garbage&vsn=1.0.0', `apikey=${t.anonKey}&vsn=2.0.0&log_level=%zz`, `apikey=${t.forgedTokens[0]}&vsn=2.0.0`, ''),
  );
  return query.chain((q) => frames(q.includes('vsn=1.0.0') ? v1 : v2).map((fs) => ({ family: 'realtime' as const, query: q, frames: fs })));
}
