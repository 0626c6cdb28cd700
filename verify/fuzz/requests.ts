// fast-check generators of hostile HTTP requests to the stack's REST and Auth APIs. Every request
// is either refused or a read: writes carry the vendor's or customer's token but aim at the other
// tenant's rows (vendor B, another customer), or carry invalid input or a forged token.
import fc from 'fast-check';
import type { Targets } from './targets.ts';

export interface FuzzRequest {
  family: string;
  method: string;
  /** Raw path and query, sent as is (no normalisation). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** An id no row has: fixed, so that a seed repeats the same requests. */
const NO_SUCH_ID = 'f0f0f0f0-0000-4000-8000-000000000000';

const TABLES = ['products', 'inventory_levels', 'reservations', 'orders', 'order_lines', 'stock_movements', 'vendors', 'vendor_members', 'locations', 'product_availability'];
const COLUMNS = ['id', 'vendor_id', 'product_id', 'location_id', 'customer_id', 'sku', 'name', 'price', 'on_hand', 'reserved', 'available', 'version', 'status', 'quantity', 'created_at', 'expires_at', 'active', 'description', 'role', 'user_id'];
const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'in', 'is', 'isdistinct', 'fts', 'plfts', 'phfts', 'wfts', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'not.eq', 'not.in', 'eq(any)', 'like(all)', 'xx', ''];
const RPCS = ['reserve_stock', 'adjust_stock', 'set_stock', 'checkout', 'release_reservation', 'extend_reservation', 'set_reservation_quantity', 'vendor_team', 'cart_lines', 'stock_drift_report', 'admin_health', 'admin_alerts', 'expire_reservations', 'purge_idempotency_keys', 'maintain_telemetry'];

/** Some characters percent-encoded (upper or lower case hex), some doubly. */
const encodeSome = (s: string, mask: readonly number[]) =>
  [...s].map((ch, i) => {
    const m = mask[i % mask.length] ?? 0;
    if (m === 1) return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    if (m === 2) return `%25${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    return ch;
  }).join('');
const encMask = fc.oneof({ weight: 2, arbitrary: fc.constant([0]) }, fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 1, 2), { minLength: 1, maxLength: 8 }));

/** Printable ASCII and some Unicode, percent-encoded where a URL needs it. */
const urlText = fc.string({ unit: fc.oneof(fc.constantFrom(...'abcXYZ019_-.,:()!*"\'\\ %&=?#[]{}<>|^`~$@;/+'.split('')), fc.constantFrom('é', '💥', '\u0000', '\u202e', 'ß')), maxLength: 24 })
  .map((s) => encodeURIComponent(s).replace(/%2C/g, () => ','));
const oddCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));
const column = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COLUMNS) }, fc.constantFrom(...COLUMNS).chain(oddCase), urlText, fc.constantFrom('meta->>a', 'x->0->>b', 'id::text', '"quoted%20col"', '*', 'a.b.c'));

function values(t: Targets) {
  return fc.oneof(
    fc.constantFrom(t.otherVendorId, ...t.otherProductIds, ...t.otherLocationIds, t.otherCustomerId, NO_SUCH_ID),
    fc.integer().map(String),
    fc.constantFrom('null', 'true', 'false', 'NaN', 'Infinity', '-1', '1e309', '9223372036854775808', '{}', '{1,2}', '[1,2)', '(a,b,"c")', '""', "'", '\\', '%', '*'),
    urlText,
    fc.nat(3000).map((n) => 'x'.repeat(n)),
  );
}

function filterExpr(t: Targets) {
  const leaf = fc.tuple(column, fc.constantFrom(...OPERATORS), values(t)).map(([c, op, v]) => (op.includes('in') || op === 'cs' ? `${c}.${op}.(${v},${v})` : `${c}.${op}.${v}`));
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('group')),
    group: fc.tuple(fc.constantFrom('and', 'or', 'not.and', 'not.or', 'AND', 'xor'), fc.array(tie('expr'), { maxLength: 4 })).map(([op, parts]) => `${op}(${(parts as string[]).join(',')})`),
  }));
  return expr as fc.Arbitrary<string>;
}

function query(t: Targets) {
  const param = fc.oneof(
    fc.tuple(column, fc.constantFrom(...OPERATORS), values(t)).map(([c, op, v]) => `${c}=${op}.${v}`),
    fc.tuple(fc.constantFrom('and', 'or', 'not.and', 'not.or'), filterExpr(t)).map(([k, e]) => `${k}=(${e})`),
    fc.oneof(fc.nat(40), fc.nat(3000)).map((depth) => `or=${'or('.repeat(depth)}id.eq.1${')'.repeat(depth)}`),
    fc.nat(3000).map((n) => `select=${'id,'.repeat(n)}id`),
    fc.nat(300).map((depth) => `select=${'products('.repeat(depth)}id${')'.repeat(depth)}`),
    fc.nat(2000).map((n) => `id=in.(${Array.from({ length: n }, (_, i) => i).join(',')})`),
    selectParam(),
    fc.array(fc.tuple(column, fc.constantFrom('', '.asc', '.desc', '.nullsfirst', '.asc.nullslast', '.sideways')), { maxLength: 4 }).map((o) => `order=${o.map(([c, d]) => c + d).join(',')}`),
    fc.oneof(fc.integer(), fc.constantFrom('-1', 'abc', '1e9', '99999999999999999999', '')).map((n) => `limit=${n}`),
    fc.oneof(fc.integer(), fc.constantFrom('-5', 'x', '')).map((n) => `offset=${n}`),
    fc.constantFrom('columns=id,name', 'on_conflict=id', 'on_conflict=nope', 'columns=', 'columns="a"', 'select', '=', '&&', 'a[]=1', '%zz=1', 'limit=1&limit=2'),
    fc.tuple(urlText, urlText).map(([k, v]) => `${k}=${v}`),
  );
  return fc.array(param, { maxLength: 5 });
}

function selectParam() {
  const { item } = fc.letrec((tie) => ({
    item: fc.oneof(
      { depthSize: 'small' },
      column,
      fc.tuple(fc.constantFrom(...TABLES, 'vendors!inner', 'products!products_vendor_id_fkey', 'nope', 'products!left', '...products'), fc.array(tie('item'), { maxLength: 3 }))
        .map(([rel, cols]) => `${rel}(${(cols as string[]).join(',') || '*'})`),
      fc.tuple(urlText, column).map(([alias, c]) => `${alias}:${c}`),
      fc.tuple(column, fc.constantFrom('count()', 'sum()', 'avg()', 'max()', 'foo()')).map(([c, agg]) => `${c}.${agg}`),
    ),
  }));
  return fc.tuple(fc.array(item as fc.Arbitrary<string>, { minLength: 1, maxLength: 5 }), encMask).map(([items, mask]) => `select=${encodeSome(items.join(','), mask)}`);
}

function tokenHeader(t: Targets, writer: boolean) {
  const real = writer ? [t.vendorToken, t.customerToken, t.anonKey] : [t.vendorToken, t.customerToken, t.anonKey];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...real).map((tok) => `Bearer ${tok}`) },
    { weight: 1, arbitrary: fc.constantFrom(...t.forgedTokens).map((tok) => `Bearer ${tok}`) },
    fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Bearer', 'bearer  ', 'Token abc', `Bearer ${t.anonKey} extra`, 'Bearer \t'),
  );
}

function headers(t: Targets, writer: boolean) {
  // Mostly absent, so that most requests get past content negotiation to the parsers.
  const pick = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
  return fc.record({
    authorization: fc.option(tokenHeader(t, writer), { freq: 5 }),
    apikey: fc.oneof({ weight: 5, arbitrary: fc.constant(t.anonKey) }, fc.constantFrom('', 'garbage', t.forgedTokens[0]!)),
    prefer: pick(fc.array(fc.constantFrom('return=representation', 'return=minimal', 'return=headers-only', 'count=exact', 'count=planned', 'count=estimated', 'resolution=merge-duplicates', 'resolution=ignore-duplicates', 'missing=default', 'handling=strict', 'handling=lenient', 'tx=rollback', 'tx=commit', 'max-affected=1', 'max-affected=-1', 'params=single-object', 'timezone=Mars/Olympus', 'return=', 'count=exact;q=1', '\u00ff'), { maxLength: 4 }).map((p) => p.join(', '))),
    accept: pick(fc.constantFrom('application/json', 'application/vnd.pgrst.object+json', 'application/vnd.pgrst.object+json;nulls=stripped', 'text/csv', 'application/geo+json', 'application/vnd.pgrst.plan+json', 'application/vnd.pgrst.plan+json; for="application/json"; options=analyze|verbose', 'application/openapi+json', '*/*', 'text/html', 'garbage', 'application/octet-stream', ';;;', 'application/json;q=0')),
    range: pick(fc.constantFrom('0-9', '5-', '-1', '10-5', 'items=0-1', 'bytes=0-100', '0-99999999999999999999', 'x-y')),
    'range-unit': pick(fc.constantFrom('items', 'bytes')),
    'content-type': pick(fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/csv', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'garbage/garbage', 'application/vnd.pgrst.object+json', '')),
    'accept-profile': pick(fc.constantFrom('public', 'private', 'auth', 'graphql_public', 'pg_catalog', 'nope')),
    'content-profile': pick(fc.constantFrom('public', 'private', 'auth', 'nope')),
    'x-request-id': pick(fc.constantFrom('fuzz', 'x'.repeat(500), '../../etc')),
  }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== null)) as Record<string, string>);
}

/** JSON values of every shape; sometimes very deep or large. */
const jsonValue = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  fc.constantFrom(null, 1e308, -0, '', '\u0000', 'x'.repeat(200_000), [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]),
);

/** A body string: JSON of a value, or broken JSON, or huge. */
function bodyOf(value: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => JSON.stringify(v)) },
    fc.constantFrom('', '{', '[1,', '{"a":}', 'nul', '\u0000\u0001', '"\\ud800"', '{"a":1,"a":2}', 'a,b\n1,2', 'x=1&y=2'),
    fc.nat(20).map((d) => '{"a":'.repeat(d * 500) + '1' + '}'.repeat(d * 500)),
    fc.nat(20_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
    fc.constant(JSON.stringify({ a: 'x'.repeat(3 * 1024 * 1024) })),
  );
}

/** Reads of any table with hostile query strings, by any token. */
export function readRequests(t: Targets): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(fc.constantFrom('GET', 'HEAD', 'GET', 'OPTIONS'), fc.oneof(fc.constantFrom(...TABLES), fc.constantFrom(...TABLES).chain(oddCase), urlText), encMask, query(t), headers(t, false))
    .map(([method, table, mask, params, h]) => ({ family: 'rest-read', method, path: `/rest/v1/${encodeSome(table, mask)}${params.length ? `?${params.join('&')}` : ''}`, headers: h }));
}

/** Row for a write: random fields, always the other vendor's id. */
function rowFor(t: Targets) {
  return fc.dictionary(column, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((row) => ({ ...row, vendor_id: t.otherVendorId }));
}

/** Writes to the tables API users may write (vendors, products, locations) and others, aimed at vendor B. */
export function writeRequests(t: Targets): fc.Arbitrary<FuzzRequest> {
  const body = bodyOf(fc.oneof({ weight: 3, arbitrary: rowFor(t) }, fc.array(rowFor(t), { maxLength: 3 }), jsonValue));
  return fc.tuple(fc.constantFrom('POST', 'PATCH', 'PUT', 'DELETE'), fc.constantFrom(...TABLES), query(t), headers(t, true), body)
    .map(([method, table, params, h, b]) => {
      // The restriction to the other tenant is ANDed with whatever the fuzzer adds.
      const own = table === 'vendors' ? `id=eq.${t.otherVendorId}` : table === 'reservations' || table === 'orders' ? `customer_id=eq.${t.otherCustomerId}` : `vendor_id=eq.${t.otherVendorId}`;
      const safe = params.filter((p) => !p.startsWith('columns=') && !p.startsWith('limit=1&'));
      const qs = method === 'POST' ? safe : [own, ...safe];
      return { family: 'rest-write', method, path: `/rest/v1/${table}?${qs.join('&')}`, headers: h, body: method === 'DELETE' ? undefined : b };
    });
}

function rpcArgs(t: Targets) {
  const key = fc.oneof(fc.constant(undefined), fc.uuid().map((u) => `fuzz-${u}`), fc.constantFrom('', 'short', 'x'.repeat(300), 'has space key', 'ключ-ключ-ключ', null, 12345678));
  const num = fc.oneof(fc.integer({ min: -1000, max: 0 }), fc.constantFrom(2147483648, -2147483649, 1.5, '3', 'x', null, true, [], {}, 1e100));
  const otherProduct = fc.oneof(fc.constantFrom(...t.otherProductIds), fc.uuid(), fc.constantFrom('', 'not-a-uuid', null, 42, ['x'], `${t.otherProductIds[0]}'--`));
  const otherLocation = fc.oneof(fc.constantFrom(...t.otherLocationIds), fc.uuid(), fc.constantFrom('', null, 'x'));
  const otherHold = fc.oneof(fc.constantFrom(...t.otherReservationIds), fc.uuid(), fc.constantFrom('', null, 'x', 7));
  // A customer may reserve any vendor's product: a reserve always has one invalid argument.
  const reserve = fc.tuple(fc.record({ product_id: otherProduct, quantity: fc.oneof(fc.integer({ min: 1, max: 3 }), num), idempotency_key: key, ttl_seconds: fc.oneof(fc.integer({ min: 30, max: 600 }), num) }), fc.constantFrom('product_id', 'quantity', 'ttl_seconds', 'idempotency_key'))
    .map(([args, poison]) => ({ ...args, [poison]: poison === 'product_id' ? NO_SUCH_ID : poison === 'idempotency_key' ? 'bad key' : -1 }));
  return {
    reserve_stock: reserve,
    adjust_stock: fc.record({ product_id: otherProduct, location_id: otherLocation, delta: fc.oneof(fc.integer(), num), reason: fc.oneof(fc.string(), fc.constantFrom('received', 'damaged', null)), idempotency_key: key }),
    set_stock: fc.record({ product_id: otherProduct, location_id: otherLocation, on_hand: fc.oneof(fc.nat(), num), expected_version: fc.oneof(fc.nat(), num), idempotency_key: key }),
    checkout: fc.record({ reservation_ids: fc.oneof(fc.array(otherHold, { maxLength: 4 }), fc.constantFrom(null, 'x', {}, [[]])), idempotency_key: key }),
    release_reservation: fc.record({ reservation_id: otherHold, idempotency_key: key }),
    extend_reservation: fc.record({ reservation_id: otherHold, idempotency_key: key, ttl_seconds: fc.oneof(fc.integer(), num) }),
    set_reservation_quantity: fc.record({ reservation_id: otherHold, quantity: fc.oneof(fc.integer(), num), idempotency_key: key }),
    vendor_team: fc.record({ vendor_id: fc.oneof(fc.constant(t.otherVendorId), otherProduct) }),
  };
}

/** The public RPCs with the other tenant's ids or invalid arguments, plus extra and missing ones, through odd paths. */
export function rpcRequests(t: Targets): fc.Arbitrary<FuzzRequest> {
  const args = rpcArgs(t);
  const call = fc.oneof(...(Object.entries(args) as Array<[string, fc.Arbitrary<Record<string, unknown>>]>).map(([fn, a]) => a.map((v) => [fn, v] as const)),
    fc.constantFrom(...RPCS).map((fn) => [fn, {}] as const));
  const extra = fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, fc.dictionary(fc.constantFrom('p_product_id', 'product', 'PRODUCT_ID', 'x', 'role'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }));
  return fc.tuple(call, extra, encMask, fc.constantFrom('', '', '', '/', '?select=*', '?product_id=eq.x', '?limit=1'), headers(t, true), fc.constantFrom('POST', 'POST', 'POST', 'GET'), fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, bodyOf(jsonValue)))
    .map(([[fn, a], more, mask, tail, h, method, raw]) => {
      const argsObj = { ...(more ?? {}), ...a };
      const path = `/rest/v1/rpc/${encodeSome(fn, mask)}${tail}`;
      if (method === 'GET') {
        const qs = Object.entries(argsObj).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&');
        return { family: 'rpc', method, path: `${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`, headers: h };
      }
      return { family: 'rpc', method, path, headers: { 'content-type': 'application/json', ...h }, body: raw ?? JSON.stringify(argsObj) };
    });
}

/** GoTrue endpoints with garbage: wrong passwords, bad grants, too-short passwords on signup, forged tokens on /user. */
export function authRequests(t: Targets): fc.Arbitrary<FuzzRequest> {
  const email = fc.oneof(fc.constantFrom('vendor.a@example.com', 'shopper@example.com', 'nobody@example.com', 'not-an-email', '', '@', 'a@b', 'x'.repeat(400) + '@example.com'), fc.emailAddress(), fc.string());
  const anyValue = fc.jsonValue({ maxDepth: 3 });
  const wrongPassword = fc.oneof(fc.string({ maxLength: 80 }).filter((s) => s !== 'demo-password'), fc.constantFrom(null, 1, [], {}, 'x'.repeat(100)));
  // Signups must never succeed: the password is always too short (GoTrue's minimum is 6) or not a string.
  const shortPassword = fc.oneof(fc.string({ maxLength: 5 }).filter((s) => Buffer.byteLength(s) < 6), fc.constantFrom(null, 123456789, [], {}, true));
  const grant = fc.constantFrom('password', 'refresh_token', 'pkce', 'id_token', 'nope', '', 'password&grant_type=refresh_token', 'PASSWORD');
  const endpoint = fc.oneof(
    fc.tuple(grant, fc.record({ email, password: wrongPassword, phone: fc.option(fc.string()), gotrue_meta_security: fc.option(anyValue) }, { requiredKeys: [] })).map(([g, b]) => [`/auth/v1/token?grant_type=${g}`, 'POST', b] as const),
    fc.tuple(grant, fc.record({ refresh_token: fc.oneof(fc.string(), fc.constantFrom(t.vendorRefresh.slice(0, -1), null, 1, 'x'.repeat(5000))) }, { requiredKeys: [] })).map(([g, b]) => [`/auth/v1/token?grant_type=${g}`, 'POST', b] as const),
    fc.record({ email, password: shortPassword, data: fc.option(anyValue), options: fc.option(anyValue) }, { requiredKeys: ['password'] }).map((b) => ['/auth/v1/signup', 'POST', b] as const),
    fc.tuple(fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE'), anyValue).map(([m, b]) => ['/auth/v1/user', m, b] as const),
    fc.tuple(fc.constantFrom('/auth/v1/logout', '/auth/v1/recover', '/auth/v1/otp', '/auth/v1/verify', '/auth/v1/magiclink', '/auth/v1/admin/users', '/auth/v1/admin/users/' + NO_SUCH_ID, '/auth/v1/settings', '/auth/v1/health', '/auth/v1/%75ser', '/auth/v1/../rest/v1/products', '/auth/v1/token'), anyValue).map(([p, b]) => [p, 'POST', b] as const),
  );
  // /user, /logout and /admin get forged or garbage tokens only: a real one could legitimately change the user.
  const forgedAuth = fc.oneof(fc.constantFrom(...t.forgedTokens).map((tok) => `Bearer ${tok}`), fc.constant(`Bearer ${t.anonKey}`), fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`));
  return fc.tuple(endpoint, forgedAuth, fc.constantFrom('application/json', 'application/json', 'application/x-www-form-urlencoded', 'text/plain', 'garbage'), fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, bodyOf(jsonValue)))
    .map(([[path, method, b], authz, ct, raw]) => ({
      family: 'auth',
      method,
      path,
      headers: { apikey: t.anonKey, authorization: authz, 'content-type': ct },
      body: method === 'GET' || method === 'DELETE' ? undefined : raw ?? JSON.stringify(b),
    }));
}

/** Paths around the APIs: encodings, traversal, double slashes, unknown prefixes. */
export function pathRequests(t: Targets): fc.Arbitrary<FuzzRequest> {
  const paths = fc.oneof(
    fc.constantFrom('/rest/v1/rpc/reserve%5Fstock', '/rest/v1/rpc/reserve%5fstock', '/rest/v1/rpc/reserve%255Fstock', '/rest/v1/rpc/%72eserve_stock', '/rest/v1/rpc/RESERVE_STOCK', '/rest/v1/rpc/reserve_stock/', '/rest/v1//rpc/reserve_stock', '//rest/v1/products', '/rest/v1/../auth/v1/user', '/rest/v1/%2e%2e/auth/v1/user', '/rest/v1/products%00', '/rest/v1/products%2F', '/rest/v1/', '/rest/v1', '/rest', '/realtime/v1/api/broadcast', '/realtime/v1/websocket', '/health', '/metrics', '/%', '/rest/v1/%zz', '/rest/v1/private.rate_limits', '/rest/v1/auth.users', '/rest/v1/"products"', '/rest/v1/rpc/', '/rest/v1/rpc/private.check_rate_limit', '/rest/v1/rpc/pg_sleep'),
    fc.tuple(fc.constantFrom('/rest/v1/', '/auth/v1/', '/realtime/v1/', '/'), urlText, encMask).map(([p, s, m]) => p + encodeSome(s, m)),
  );
  return fc.tuple(paths, fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'PUT', 'TRACE', 'PROPFIND'), headers(t, true), fc.option(bodyOf(rpcArgs(t).reserve_stock), { freq: 2 }))
    .map(([path, method, h, b]) => ({ family: 'paths', method, path, headers: { 'content-type': 'application/json', ...h }, body: method === 'GET' || method === 'OPTIONS' || method === 'TRACE' ? undefined : b ?? undefined }));
}
