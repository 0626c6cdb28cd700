import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../stack/migrate.ts';
import { bootstrappedDatabase, db } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser, newKey, restock, type Tenant, type TestUser } from './helpers/fixtures.ts';
import { anonCaller, apiError, asCaller, rpc, serviceCaller, type Caller } from './helpers/sql.ts';

// Every relation in `public`, every role, every operation: what the role gets. Reads list the
// fixture rows visible (by tag); writes target a row of vendor A inside a rolled-back transaction.

// vendorA and vendorB are the owners of vendors A and B; staffA is a staff member of A.
type Role = 'anon' | 'customer' | 'vendorA' | 'staffA' | 'vendorB' | 'admin' | 'service';
const roles: Role[] = ['anon', 'customer', 'vendorA', 'staffA', 'vendorB', 'admin', 'service'];

/**
 * 'denied': 42501 permission denied; 'rls': 42501 row-level security violation; 'fk': 23503;
 * 'read-only': 55000, the view is not updatable (refused before privileges are checked).
 */
type WriteOutcome = 'denied' | 'rls' | 'fk' | 'read-only' | 'ok' | 0 | 1;
type ReadOutcome = 'denied' | string[];

interface TableSpec {
  kind: 'table' | 'view';
  key: string;
  read: Record<Role, ReadOutcome>;
  insert: Record<Role, WriteOutcome>;
  update: Record<Role, WriteOutcome>;
  delete: Record<Role, WriteOutcome>;
}

const everyRole = (outcome: WriteOutcome) => Object.fromEntries(roles.map((r) => [r, outcome])) as Record<Role, WriteOutcome>;
const allDenied = everyRole('denied');
const tenantRead = (a: string[], b: string[]): Record<Role, ReadOutcome> => ({
  anon: 'denied', customer: [], vendorA: a, staffA: a, vendorB: b, admin: [...a, ...b], service: [...a, ...b],
});

const matrix: Record<string, TableSpec> = {
  vendors: {
    kind: 'table', key: 'id',
    read: tenantRead(['A'], ['B']),
    insert: { ...allDenied, service: 'ok' },
    update: { anon: 'denied', customer: 0, vendorA: 1, staffA: 0, vendorB: 0, admin: 0, service: 1 },
    delete: { ...allDenied, service: 'fk' },
  },
  vendor_members: {
    kind: 'table', key: 'vendor_id',
    read: tenantRead(['A'], ['B']),
    insert: { ...allDenied, service: 'ok' },
    update: { ...allDenied, service: 1 },
    delete: { ...allDenied, service: 1 },
  },
  products: {
    kind: 'table', key: 'id',
    read: {
      anon: ['A-active', 'B-active'], customer: ['A-active', 'B-active'],
      vendorA: ['A-active', 'A-inactive', 'B-active'], staffA: ['A-active', 'A-inactive', 'B-active'], vendorB: ['A-active', 'B-active', 'B-inactive'],
      admin: ['A-active', 'A-inactive', 'B-active', 'B-inactive'], service: ['A-active', 'A-inactive', 'B-active', 'B-inactive'],
    },
    insert: { anon: 'denied', customer: 'rls', vendorA: 'ok', staffA: 'ok', vendorB: 'rls', admin: 'rls', service: 'ok' },
    update: { anon: 'denied', customer: 0, vendorA: 1, staffA: 1, vendorB: 0, admin: 0, service: 1 },
    delete: allDenied,
  },
  locations: {
    kind: 'table', key: 'vendor_id',
    read: tenantRead(['A'], ['B']),
    insert: { anon: 'denied', customer: 'rls', vendorA: 'ok', staffA: 'ok', vendorB: 'rls', admin: 'rls', service: 'ok' },
    update: { anon: 'denied', customer: 0, vendorA: 1, staffA: 1, vendorB: 0, admin: 0, service: 1 },
    delete: allDenied,
  },
  inventory_levels: {
    kind: 'table', key: 'product_id',
    read: tenantRead(['A-active', 'A-inactive'], ['B-active', 'B-inactive']),
    insert: allDenied, update: allDenied, delete: allDenied,
  },
  stock_movements: {
    kind: 'table', key: 'vendor_id',
    read: tenantRead(['A'], ['B']),
    insert: allDenied, update: allDenied, delete: allDenied,
  },
  reservations: {
    kind: 'table', key: 'id',
    read: {
      anon: 'denied', customer: ['customer-active', 'customer-committed'],
      vendorA: ['customer-active', 'customer-committed', 'other-active-A'], staffA: ['customer-active', 'customer-committed', 'other-active-A'], vendorB: ['other-committed-B'],
      admin: ['customer-active', 'customer-committed', 'other-active-A', 'other-committed-B'],
      service: ['customer-active', 'customer-committed', 'other-active-A', 'other-committed-B'],
    },
    insert: allDenied, update: allDenied, delete: allDenied,
  },
  orders: {
    kind: 'table', key: 'id',
    read: { anon: 'denied', customer: ['customer-A'], vendorA: ['customer-A'], staffA: ['customer-A'], vendorB: ['other-B'], admin: ['customer-A', 'other-B'], service: ['customer-A', 'other-B'] },
    insert: allDenied, update: allDenied, delete: allDenied,
  },
  order_lines: {
    kind: 'table', key: 'order_id',
    read: { anon: 'denied', customer: ['customer-A'], vendorA: ['customer-A'], staffA: ['customer-A'], vendorB: ['other-B'], admin: ['customer-A', 'other-B'], service: ['customer-A', 'other-B'] },
    insert: allDenied, update: allDenied, delete: allDenied,
  },
  // Owners (and admins) read their vendor's invitations, every column but the token's hash;
  // only the team RPCs write them.
  vendor_invitations: {
    kind: 'table', key: 'vendor_id',
    read: { anon: 'denied', customer: [], vendorA: ['A'], staffA: [], vendorB: ['B'], admin: ['A', 'B'], service: ['A', 'B'] },
    insert: { ...allDenied, service: 'ok' },
    update: { ...allDenied, service: 1 },
    delete: { ...allDenied, service: 1 },
  },
  product_availability: {
    kind: 'view', key: 'product_id',
    read: Object.fromEntries(roles.map((r) => [r, ['A-active', 'B-active']])) as Record<Role, ReadOutcome>,
    // Read-only by privileges; its INSTEAD OF trigger lets Postgres reach the privilege check (20261202004100).
    insert: allDenied, update: allDenied, delete: allDenied,
  },
};

let A: Tenant;
let B: Tenant;
let customer: TestUser;
let other: TestUser;
let staffA: TestUser;
/** Each role's email, for invitations addressed to it. */
let emails: Record<Role, string | undefined>;
let callers: Record<Role, Caller>;
/** tag -> id, per table. */
const tags: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  [A, B, customer, other] = await Promise.all([createTenant({ products: 2, locations: 1 }), createTenant({ products: 2, locations: 1 }), createUser(), createUser()]);
  const admin = await createAdmin();
  staffA = await addMember(A.vendorId, 'staff');
  emails = { anon: undefined, customer: customer.email, vendorA: A.owner.email, staffA: staffA.email, vendorB: B.owner.email, admin: admin.email, service: undefined };
  callers = { anon: anonCaller, customer: customer.caller, vendorA: A.owner.caller, staffA: staffA.caller, vendorB: B.owner.caller, admin: admin.caller, service: serviceCaller };
  for (const t of [A, B]) {
    await db().query('update public.products set active = false where id = $1', [t.productIds[1]]);
    for (const p of t.productIds) await restock(p, t.locationIds[0]!, 50);
  }
  const reserve = async (who: TestUser, productId: string) =>
    (await rpc<{ id: string }>(who.caller, 'reserve_stock', { product_id: productId, quantity: 1, idempotency_key: newKey() })).data.id;
  const checkout = async (who: TestUser, ids: string[]) =>
    (await rpc<{ id: string }>(who.caller, 'checkout', { reservation_ids: ids, idempotency_key: newKey() })).data.id;

  const customerActive = await reserve(customer, A.productIds[0]!);
  const customerCommitted = await reserve(customer, A.productIds[0]!);
  const customerOrder = await checkout(customer, [customerCommitted]);
  const otherActive = await reserve(other, A.productIds[0]!);
  const otherCommitted = await reserve(other, B.productIds[0]!);
  const otherOrder = await checkout(other, [otherCommitted]);

  const vendorTags = { A: A.vendorId, B: B.vendorId };
  for (const t of [A, B]) await rpc(t.owner.caller, 'create_invitation', { vendor_id: t.vendorId, email: `matrix-${t.vendorId}@example.test`, idempotency_key: newKey() });
  const productTags = { 'A-active': A.productIds[0]!, 'A-inactive': A.productIds[1]!, 'B-active': B.productIds[0]!, 'B-inactive': B.productIds[1]! };
  const orderTags = { 'customer-A': customerOrder, 'other-B': otherOrder };
  Object.assign(tags, {
    vendors: vendorTags, vendor_members: vendorTags, products: productTags, locations: vendorTags,
    inventory_levels: productTags, stock_movements: vendorTags, orders: orderTags, order_lines: orderTags,
    product_availability: productTags, vendor_invitations: vendorTags,
    reservations: { 'customer-active': customerActive, 'customer-committed': customerCommitted, 'other-active-A': otherActive, 'other-committed-B': otherCommitted },
  });
});

async function visibleTags(role: Role, table: string): Promise<string[]> {
  const byId = tags[table]!;
  const ids = Object.values(byId);
  const keys = await asCaller(callers[role], async (c) =>
    (await c.query<{ k: string }>(`select distinct ${matrix[table]!.key}::text as k from public.${table} where ${matrix[table]!.key} = any ($1::uuid[])`, [ids])).rows.map((r) => r.k),
  );
  return Object.entries(byId).filter(([, id]) => keys.includes(id)).map(([tag]) => tag).sort();
}

/** A statement that writes one row of vendor A's (or a new one for vendor A), per table. */
function writeStatement(table: string, op: 'insert' | 'update' | 'delete'): { sql: string; params: unknown[] } {
  const aRow = table === 'products' ? A.productIds[0]! : table === 'locations' ? A.locationIds[0]! : Object.values(tags[table]!)[0]!;
  const keyColumn = table === 'locations' ? 'id' : matrix[table]!.key;
  // Vendor A's owner's membership (A has other members).
  if (table === 'vendor_members' && op !== 'insert') {
    const where = 'vendor_id = $1 and user_id = $2';
    return { sql: op === 'delete' ? `delete from public.vendor_members where ${where}` : `update public.vendor_members set role = role where ${where}`, params: [A.vendorId, A.owner.id] };
  }
  if (op === 'delete') return { sql: `delete from public.${table} where ${keyColumn} = $1`, params: [aRow] };
  if (op === 'update') {
    const column = { vendor_invitations: 'email', vendors: 'name', vendor_members: 'role', products: 'name', locations: 'name', inventory_levels: 'on_hand', stock_movements: 'reason', reservations: 'status', orders: 'status', order_lines: 'quantity', product_availability: 'name' }[table]!;
    return { sql: `update public.${table} set ${column} = ${column} where ${keyColumn} = $1`, params: [aRow] };
  }
  const suffix = Math.random().toString(36).slice(2, 10);
  switch (table) {
    case 'vendors': return { sql: `insert into public.vendors (name) values ($1)`, params: [`Matrix ${suffix}`] };
    case 'vendor_members': return { sql: `insert into public.vendor_members (vendor_id, user_id) values ($1, $2)`, params: [A.vendorId, customer.id] };
    case 'products': return { sql: `insert into public.products (vendor_id, sku, name, price) values ($1, $2, 'Matrix', 1)`, params: [A.vendorId, `M-${suffix}`] };
    case 'locations': return { sql: `insert into public.locations (vendor_id, name) values ($1, $2)`, params: [A.vendorId, `Matrix ${suffix}`] };
    case 'inventory_levels': return { sql: `insert into public.inventory_levels (product_id, location_id, vendor_id, on_hand) values ($1, $2, $3, 5)`, params: [A.productIds[0], A.locationIds[0], A.vendorId] };
    case 'stock_movements': return { sql: `insert into public.stock_movements (vendor_id, product_id, location_id, kind, on_hand_delta, level_version) values ($1, $2, $3, 'restock', 5, 1)`, params: [A.vendorId, A.productIds[0], A.locationIds[0]] };
    case 'reservations': return { sql: `insert into public.reservations (vendor_id, product_id, location_id, customer_id, quantity, expires_at) values ($1, $2, $3, $4, 1, now() + interval '1 hour')`, params: [A.vendorId, A.productIds[0], A.locationIds[0], customer.id] };
    case 'orders': return { sql: `insert into public.orders (vendor_id, customer_id, total, item_count) values ($1, $2, 1, 1)`, params: [A.vendorId, customer.id] };
    case 'order_lines': return { sql: `insert into public.order_lines (order_id, vendor_id, customer_id, reservation_id, product_id, location_id, quantity, unit_price) values ($1, $2, $3, $4, $5, $6, 1, 1)`, params: [tags.orders!['customer-A'], A.vendorId, customer.id, tags.reservations!['customer-active'], A.productIds[0], A.locationIds[0]] };
    case 'vendor_invitations': return { sql: `insert into public.vendor_invitations (vendor_id, email, role, token_hash, expires_at) values ($1, $2, 'staff', sha256(convert_to($2::text, 'UTF8')), now() + interval '1 day')`, params: [A.vendorId, `m-${suffix}@example.test`] };
    case 'product_availability': return { sql: `insert into public.product_availability (product_id) values ($1)`, params: [A.productIds[0]] };
  }
  throw new Error(`no insert statement for ${table}`);
}

async function writeOutcome(role: Role, table: string, op: 'insert' | 'update' | 'delete'): Promise<{ outcome: WriteOutcome; message?: string }> {
  const { sql, params } = writeStatement(table, op);
  try {
    const count = await asCaller(callers[role], async (c) => (await c.query(sql, params)).rowCount ?? 0, { rollback: true });
    return { outcome: op === 'insert' ? (count === 1 ? 'ok' : (count as 0)) : (count as 0 | 1) };
  } catch (err) {
    const e = err as { sqlstate?: string; message: string };
    if (e.sqlstate === '42501' && e.message.startsWith('permission denied for')) return { outcome: 'denied', message: e.message };
    if (e.sqlstate === '42501' && e.message.startsWith('new row violates row-level security policy')) return { outcome: 'rls', message: e.message };
    if (e.sqlstate === '23503') return { outcome: 'fk', message: e.message };
    if (e.sqlstate === '55000') return { outcome: 'read-only', message: e.message };
    throw err;
  }
}

describe('RLS matrix: every public relation × role × operation', () => {
  for (const [table, spec] of Object.entries(matrix)) {
    describe(table, () => {
      for (const role of roles) {
        it(`${role}: select`, async () => {
          const expected = spec.read[role];
          if (expected === 'denied') {
            const err = await apiError(visibleTags(role, table));
            expect([err.sqlstate, err.status, err.message]).toEqual(['42501', role === 'anon' ? 401 : 403, `permission denied for ${spec.kind} ${table}`]);
          } else {
            expect(await visibleTags(role, table)).toEqual([...expected].sort());
          }
        });
        for (const op of ['insert', 'update', 'delete'] as const) {
          it(`${role}: ${op}`, async () => {
            const expected = spec[op][role];
            const { outcome, message } = await writeOutcome(role, table, op);
            expect(outcome).toBe(expected);
            if (outcome === 'denied') expect(message).toBe(`permission denied for ${spec.kind} ${table}`);
            if (outcome === 'rls') expect(message).toBe(`new row violates row-level security policy for table "${table}"`);
            if (outcome === 'read-only') expect(message).toBe(`cannot ${op === 'delete' ? 'delete from' : op + ' into'} view "${table}"`.replace('update into', 'update'));
          });
        }
      }
    });
  }
});

const adminReads = [
  'admin_health_model', 'admin_health', 'admin_api_series', 'admin_client_series', 'admin_database_series', 'admin_domain_series',
  'admin_operations', 'admin_vendors', 'admin_recent_errors', 'admin_top_statements', 'admin_alerts', 'admin_clock',
];
const monitoringJobs = ['sample_database_health', 'send_realtime_canary', 'maintain_telemetry'];
const rpcNames = [
  'reserve_stock', 'release_reservation', 'checkout', 'adjust_stock', 'set_stock', 'expire_reservations', 'purge_idempotency_keys', 'purge_rate_limits', 'stock_drift_report',
  'extend_reservation', 'set_reservation_quantity', 'cart_lines', 'vendor_team',
  'create_invitation', 'set_team_mfa_requirement', 'lookup_invitation', 'accept_invitation', 'revoke_invitation', 'set_member_role', 'remove_member',
  'ingest_telemetry', ...monitoringJobs, ...adminReads, 'admin_user_factors', 'admin_remove_user_factors',
];

describe('RPC matrix: every client function × role', () => {
  type RpcOutcome = 'ok' | { code: string; status: number };
  const denied = (role: Role): RpcOutcome => ({ code: '42501', status: role === 'anon' ? 401 : 403 });
  const forbidden: RpcOutcome = { code: 'forbidden', status: 403 };
  const notFound: RpcOutcome = { code: 'reservation_not_found', status: 404 };
  const adminRequired: RpcOutcome = { code: 'admin_required', status: 403 };
  const ownerRequired: RpcOutcome = { code: 'owner_required', status: 403 };
  const ownersOfA: Record<Role, RpcOutcome> = {
    anon: denied('anon'), customer: ownerRequired, vendorA: 'ok', staffA: ownerRequired, vendorB: ownerRequired, admin: ownerRequired, service: 'ok',
  };
  const invitation = async (vendorId: string, email = `invitee-${randomUUID()}@example.test`) =>
    (await rpc<{ id: string; token: string }>(serviceCaller, 'create_invitation', { vendor_id: vendorId, email, idempotency_key: newKey() })).data;
  const invitationOfA = () => invitation(A.vendorId);

  async function customerReservation(): Promise<string> {
    return (await rpc<{ id: string }>(customer.caller, 'reserve_stock', { product_id: A.productIds[0], quantity: 1, idempotency_key: newKey() })).data.id;
  }
  async function currentVersion(productId: string): Promise<number> {
    return Number((await db().query('select version from public.inventory_levels where product_id = $1', [productId])).rows[0].version);
  }

  const cases: Record<string, { expected: Record<Role, RpcOutcome>; args: (role: Role) => Promise<Record<string, unknown>> }> = {
    reserve_stock: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: denied('service') },
      args: async () => ({ product_id: A.productIds[0], quantity: 1, idempotency_key: newKey() }),
    },
    release_reservation: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: notFound, admin: notFound, service: denied('service') },
      args: async () => ({ reservation_id: await customerReservation(), idempotency_key: newKey() }),
    },
    checkout: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: notFound, staffA: notFound, vendorB: notFound, admin: notFound, service: denied('service') },
      args: async () => ({ reservation_ids: [await customerReservation()], idempotency_key: newKey() }),
    },
    adjust_stock: {
      expected: { anon: denied('anon'), customer: forbidden, vendorA: 'ok', staffA: 'ok', vendorB: forbidden, admin: forbidden, service: 'ok' },
      args: async () => ({ product_id: A.productIds[0], location_id: A.locationIds[0], delta: 1, reason: 'matrix', idempotency_key: newKey() }),
    },
    set_stock: {
      expected: { anon: denied('anon'), customer: forbidden, vendorA: 'ok', staffA: 'ok', vendorB: forbidden, admin: forbidden, service: 'ok' },
      args: async () => ({ product_id: A.productIds[1], location_id: A.locationIds[0], on_hand: 50, expected_version: await currentVersion(A.productIds[1]!), idempotency_key: newKey() }),
    },
    expire_reservations: {
      expected: { anon: denied('anon'), customer: denied('customer'), vendorA: denied('vendorA'), staffA: denied('staffA'), vendorB: denied('vendorB'), admin: denied('admin'), service: 'ok' },
      args: async () => ({}),
    },
    purge_idempotency_keys: {
      expected: { anon: denied('anon'), customer: denied('customer'), vendorA: denied('vendorA'), staffA: denied('staffA'), vendorB: denied('vendorB'), admin: denied('admin'), service: 'ok' },
      args: async () => ({}),
    },
    purge_rate_limits: {
      expected: { anon: denied('anon'), customer: denied('customer'), vendorA: denied('vendorA'), staffA: denied('staffA'), vendorB: denied('vendorB'), admin: denied('admin'), service: 'ok' },
      args: async () => ({}),
    },
    stock_drift_report: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: 'ok' },
      args: async () => ({}),
    },
    // Which rows each role sees is in vendor-team.test.ts.
    vendor_team: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: 'ok' },
      args: async () => ({ vendor_id: A.vendorId }),
    },
    // Team management is for owners of the vendor (vendor-invitations.test.ts has every rule).
    create_invitation: {
      expected: ownersOfA,
      args: async () => ({ vendor_id: A.vendorId, email: `invitee-${randomUUID()}@example.test`, role: 'staff', idempotency_key: newKey() }),
    },
    // Owners need an aal2 session to change the team's two-factor rule (mfa-enforcement.test.ts).
    set_team_mfa_requirement: {
      expected: { ...ownersOfA, vendorA: { code: 'mfa_required', status: 403 } },
      args: async () => ({ vendor_id: A.vendorId, required: false, idempotency_key: newKey() }),
    },
    revoke_invitation: {
      expected: ownersOfA,
      args: async () => ({ invitation_id: (await invitationOfA()).id, idempotency_key: newKey() }),
    },
    set_member_role: {
      expected: ownersOfA,
      args: async () => ({ vendor_id: A.vendorId, user_id: (await addMember(A.vendorId, 'staff')).id, role: 'owner', idempotency_key: newKey() }),
    },
    remove_member: {
      expected: ownersOfA,
      args: async () => ({ vendor_id: A.vendorId, user_id: (await addMember(A.vendorId, 'staff')).id, idempotency_key: newKey() }),
    },
    // Any signed-in holder of the link sees what it offers; only the invited email may accept it.
    lookup_invitation: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: denied('service') },
      args: async () => ({ token: (await invitationOfA()).token }),
    },
    accept_invitation: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: denied('service') },
      // An invitation to a third vendor for the caller's own email (anon and the service role have
      // none), so that joining it changes nothing the other cases check.
      args: async (role) => ({ token: (await invitation((await createTenant({ products: 0, locations: 0 })).vendorId, emails[role])).token, idempotency_key: newKey() }),
    },
    extend_reservation: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: notFound, staffA: notFound, vendorB: notFound, admin: notFound, service: denied('service') },
      args: async () => ({ reservation_id: await customerReservation(), idempotency_key: newKey() }),
    },
    set_reservation_quantity: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: notFound, staffA: notFound, vendorB: notFound, admin: notFound, service: denied('service') },
      args: async () => ({ reservation_id: await customerReservation(), quantity: 2, idempotency_key: newKey() }),
    },
    // Each caller's own holds only (supabase/tests/cart-lines.test.ts checks which rows).
    cart_lines: {
      expected: { anon: denied('anon'), customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: denied('service') },
      args: async () => ({}),
    },
    // Browsers report telemetry, signed in or not; the service role has nothing to report.
    ingest_telemetry: {
      expected: { anon: 'ok', customer: 'ok', vendorA: 'ok', staffA: 'ok', vendorB: 'ok', admin: 'ok', service: denied('service') },
      args: async () => ({ batch: JSON.stringify({ v: 1, api: [{ op: 'rpc:matrix', method: 'POST', status: 200, ms: 1, age_ms: 0 }] }), idempotency_key: newKey() }),
    },
    ...Object.fromEntries(monitoringJobs.map((fn) => [fn, {
      expected: { anon: denied('anon'), customer: denied('customer'), vendorA: denied('vendorA'), staffA: denied('staffA'), vendorB: denied('vendorB'), admin: denied('admin'), service: 'ok' as const },
      args: async () => ({}),
    }])),
    // Two-factor recovery: platform admins only, removal at aal2 only (this admin's claims carry no aal;
    // supabase/tests/admin-mfa-recovery.test.ts has the aal2 case); the service role is not granted.
    admin_user_factors: {
      expected: { anon: denied('anon'), customer: adminRequired, vendorA: adminRequired, staffA: adminRequired, vendorB: adminRequired, admin: 'ok', service: denied('service') },
      args: async () => ({ p_email: 'nobody@example.test' }),
    },
    admin_remove_user_factors: {
      expected: { anon: denied('anon'), customer: adminRequired, vendorA: adminRequired, staffA: adminRequired, vendorB: adminRequired, admin: { code: 'aal2_required', status: 403 }, service: denied('service') },
      args: async () => ({ p_user_id: '00000000-0000-4000-8000-000000000000' }),
    },
    // Monitoring data is for platform admins (and the service role) only.
    ...Object.fromEntries(adminReads.map((fn) => [fn, {
      expected: { anon: denied('anon'), customer: adminRequired, vendorA: adminRequired, staffA: adminRequired, vendorB: adminRequired, admin: 'ok' as const, service: 'ok' as const },
      args: async () => ({}),
    }])),
  };

  it('lists every client function', () => expect(Object.keys(cases).sort()).toEqual([...rpcNames].sort()));

  for (const [fn, { expected, args }] of Object.entries(cases)) {
    for (const role of roles) {
      it(`${role}: ${fn}`, async () => {
        const call = rpc(callers[role], fn, await args(role));
        const want = expected[role];
        if (want === 'ok') {
          await call;
        } else {
          const err = await apiError(call);
          expect({ code: err.code, status: err.status }).toEqual(want);
          if (err.code === '42501') expect(err.message).toBe(`permission denied for function ${fn}`);
        }
      });
    }
  }
});

// Checked on a scratch database built from the migrations alone, so that test fixtures other
// suites load into the test stack's `public` do not count.
describe('the schema the migrations create', () => {
  let scratch: pg.Client;
  let name: string;

  beforeAll(async () => {
    name = `schema_check_${Math.random().toString(36).slice(2, 10)}`;
    const { url } = await bootstrappedDatabase(name);
    scratch = new pg.Client({ connectionString: url });
    await scratch.connect();
    await migrate(scratch, path.resolve(import.meta.dirname, '..'), () => undefined);
  });

  afterAll(async () => {
    await scratch?.end();
    if (name) await db().query(`drop database if exists ${name} with (force)`);
  });

  it('has RLS on every table in public, and every relation there is in the matrix', async () => {
    const { rows } = await scratch.query<{ name: string; kind: string; rls: boolean }>(
      `select c.relname as name, c.relkind::text as kind, c.relrowsecurity as rls
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(Object.keys(matrix).sort());
    expect(rows.filter((r) => ['r', 'p'].includes(r.kind) && !r.rls).map((r) => r.name)).toEqual([]);
    for (const r of rows) expect(r.kind === 'v' ? 'view' : 'table').toBe(matrix[r.name]!.kind);
  });

  it('private tables have RLS and grant nothing to API roles', async () => {
    const { rows } = await scratch.query<{ name: string; rls: boolean; granted: boolean }>(
      `select c.relname as name, c.relrowsecurity as rls,
              exists (select 1 from unnest(array['anon', 'authenticated', 'service_role']) r (role)
                      where has_table_privilege(r.role, c.oid, 'select, insert, update, delete, truncate, references, trigger')) as granted
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'private' and c.relkind in ('r', 'p') order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      'database_health_samples', 'domain_samples', 'idempotency_keys', 'rate_limit_settings', 'rate_limits',
      'telemetry_api_hours', 'telemetry_api_minutes', 'telemetry_cache_minutes', 'telemetry_errors', 'telemetry_realtime_minutes',
      'telemetry_settings', 'telemetry_state',
    ]);
    expect(rows.filter((r) => !r.rls || r.granted)).toEqual([]);
  });

  it('has every function in public in the RPC matrix', async () => {
    const { rows } = await scratch.query<{ name: string }>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([...rpcNames].sort());
  });
});
