import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant } from './helpers/fixtures.ts';
import { clock, messagesSince } from './helpers/messages.ts';
import { apiError, asCaller } from './helpers/sql.ts';

// Edits of products and locations go out on the vendor's private stock topic, committed ones only.

describe('the catalog part of the vendor feed', () => {
  it("sends a product's insert and update, and a new location, to the vendor's private topic", async () => {
    const t = await createTenant({ locations: 1 });
    const topic = `vendor:${t.vendorId}:stock`;
    const mark = await clock();
    const { rows } = await asCaller(t.owner.caller, (c) =>
      c.query<{ id: string }>(`insert into public.products (vendor_id, sku, name, price) values ($1, 'FEED-1', 'Storm lantern', 19.5) returning id`, [t.vendorId]),
    );
    const id = rows[0]!.id;
    await asCaller(t.owner.caller, (c) => c.query(`update public.products set price = 21, active = false where id = $1`, [id]));
    await asCaller(t.owner.caller, (c) => c.query(`insert into public.locations (vendor_id, name) values ($1, 'Pop-up stall')`, [t.vendorId]));

    const messages = await messagesSince(mark, [topic]);
    expect(messages.map((m) => [m.event, m.private])).toEqual([
      ['product', true],
      ['product', true],
      ['location', true],
    ]);
    expect(messages[0]!.payload).toMatchObject({ id, sku: 'FEED-1', name: 'Storm lantern', price: 19.5, active: true, low_stock_threshold: 5 });
    expect(messages[1]!.payload).toMatchObject({ id, price: 21, active: false });
    expect(messages[2]!.payload).toMatchObject({ name: 'Pop-up stall' });
  });

  it('sends nothing for a refused or rolled-back change', async () => {
    const t = await createTenant();
    const other = await createTenant();
    const mark = await clock();
    // RLS refuses a member of another vendor: no row, no message.
    await asCaller(other.owner.caller, (c) => c.query(`update public.products set name = 'Hijacked' where id = $1`, [t.productIds[0]]));
    expect((await apiError(asCaller(t.owner.caller, (c) => c.query(`update public.products set price = -1 where id = $1`, [t.productIds[0]])))).code).toBe('23514');
    await asCaller(t.owner.caller, (c) => c.query(`update public.products set name = 'Rolled back' where id = $1`, [t.productIds[0]]), { rollback: true });
    expect(await messagesSince(mark, [`vendor:${t.vendorId}:stock`])).toEqual([]);
    expect((await db().query(`select name from public.products where id = $1`, [t.productIds[0]])).rows[0].name).toBe('Product 1');
  });
});
