// Who the fuzzer is and whose data it attacks: it signs in as a vendor member (Northwind, vendor A)
// and as a customer, and aims every write at the other vendor (Harbor, vendor B) or at another
// customer's holds and orders. So any write that succeeds is a finding.
import { createHmac } from 'node:crypto';
import type pg from 'pg';

export interface Targets {
  apiUrl: string;
  anonKey: string;
  /** vendor.a@example.com, member of vendor A. */
  vendorToken: string;
  vendorRefresh: string;
  /** shopper@example.com, a customer. */
  customerToken: string;
  customerRefresh: string;
  /** Vendor B, of which neither account is a member. */
  otherVendorId: string;
  otherProductIds: string[];
  otherLocationIds: string[];
  /** Another customer (priya.shah@); other customers' holds and orders at the other vendor. */
  otherCustomerId: string;
  otherReservationIds: string[];
  otherOrderIds: string[];
  /** Tokens that must never pass: wrong secret, alg none, expired, garbage. */
  forgedTokens: string[];
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function hs256(claims: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

async function signIn(apiUrl: string, anonKey: string, email: string): Promise<{ access: string; refresh: string }> {
  const res = await fetch(`${apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-password' }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`${email}: sign-in failed (${res.status})`);
  return { access: body.access_token, refresh: body.refresh_token! };
}

export async function loadTargets(db: pg.Client, stack: { apiUrl: string; anonKey: string; jwtSecret: string }): Promise<Targets> {
  const vendor = await signIn(stack.apiUrl, stack.anonKey, 'vendor.a@example.com');
  const customer = await signIn(stack.apiUrl, stack.anonKey, 'shopper@example.com');
  const q = async (sql: string, params: unknown[] = []) => (await db.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
  const [otherVendorId] = await q(`select v.id from public.vendors v where not exists (
      select 1 from public.vendor_members m join auth.users u on u.id = m.user_id where m.vendor_id = v.id and u.email = 'vendor.a@example.com') order by v.name limit 1`);
  const [otherCustomerId] = await q(`select id from auth.users where email = 'priya.shah@example.com'`);
  if (!otherVendorId || !otherCustomerId) throw new Error('the seed has no second vendor or no priya.shah@example.com');
  const now = Math.floor(Date.now() / 1000);
  const serviceClaims = { role: 'service_role', iss: 'supabase-demo', exp: now + 3600 };
  const customerSub = (JSON.parse(Buffer.from(customer.access.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
  return {
    apiUrl: stack.apiUrl,
    anonKey: stack.anonKey,
    vendorToken: vendor.access,
    vendorRefresh: vendor.refresh,
    customerToken: customer.access,
    customerRefresh: customer.refresh,
    otherVendorId,
    otherProductIds: await q('select id from public.products where vendor_id = $1 order by id limit 5', [otherVendorId]),
    otherLocationIds: await q('select id from public.locations where vendor_id = $1 order by id', [otherVendorId]),
    otherCustomerId,
    // Other customers' holds at the other vendor: a member of vendor A may rightly release holds at A.
    otherReservationIds: await q('select id from public.reservations where vendor_id = $1 and customer_id <> $2 order by id limit 5', [otherVendorId, customerSub]),
    otherOrderIds: await q('select id from public.orders where vendor_id = $1 and customer_id <> $2 order by id limit 3', [otherVendorId, customerSub]),
    forgedTokens: [
      hs256(serviceClaims, 'not-the-secret-not-the-secret-not-the-secret'),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(serviceClaims)}.`,
      `${b64({ alg: 'none' })}.${b64({ role: 'postgres' })}.x`,
      hs256({ role: 'authenticated', sub: customerSub, exp: now - 10 }, stack.jwtSecret),
      hs256({ ...serviceClaims, role: 'supabase_admin' }, 'wrong'),
      hs256(serviceClaims, stack.jwtSecret, { alg: 'HS512', typ: 'JWT' }),
      `${vendor.access.slice(0, -4)}AAAA`,
      `${b64({ alg: 'HS256' })}.${b64('not json')}.sig`,
      `${b64({ alg: 'HS256' })}.${b64([1, 2, 3])}.sig`,
      'a.b.c',
      'null',
      '',
      `${b64({ alg: 'RS256', kid: '../../etc/passwd' })}.${b64(serviceClaims)}.${b64('x')}`,
      'x'.repeat(9000),
      'f0f0f0f0-0000-4000-8000-000000000001',
    ],
  };
}
