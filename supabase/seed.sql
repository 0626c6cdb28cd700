-- Demo data: two vendors with 32 products each stocked at two locations, and four users whose
-- password is demo-password. Fixed ids so demos and docs can refer to them.
--   admin@example.com     platform admin (app_metadata.role = 'admin')
--   vendor.a@example.com  owner of Northwind Outfitters
--   vendor.b@example.com  owner of Harbor Hardware
--   shopper@example.com   customer

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at
)
select
  '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('demo-password', extensions.gen_salt('bf')), now(),
  '', '', '', '',
  jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email')) || u.app_metadata,
  jsonb_build_object('display_name', u.display_name), now(), now()
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@example.com', 'Ada Admin', '{"role": "admin"}'::jsonb),
  ('a0000000-0000-4000-8000-000000000002'::uuid, 'vendor.a@example.com', 'Vera Vendor', '{}'::jsonb),
  ('a0000000-0000-4000-8000-000000000003'::uuid, 'vendor.b@example.com', 'Victor Vendor', '{}'::jsonb),
  ('a0000000-0000-4000-8000-000000000004'::uuid, 'shopper@example.com', 'Sam Shopper', '{}'::jsonb)
) as u (id, email, display_name, app_metadata);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select id::text, id, jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from auth.users
where id in ('a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002',
             'a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000004');

insert into public.vendors (id, name, reservation_ttl_seconds) values
  ('b0000000-0000-4000-8000-00000000000a', 'Northwind Outfitters', 600),
  ('b0000000-0000-4000-8000-00000000000b', 'Harbor Hardware', 900);

insert into public.vendor_members (vendor_id, user_id, role) values
  ('b0000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-000000000002', 'owner'),
  ('b0000000-0000-4000-8000-00000000000b', 'a0000000-0000-4000-8000-000000000003', 'owner');

insert into public.locations (id, vendor_id, name) values
  ('c0000000-0000-4000-8000-0000000000a1', 'b0000000-0000-4000-8000-00000000000a', 'Central warehouse'),
  ('c0000000-0000-4000-8000-0000000000a2', 'b0000000-0000-4000-8000-00000000000a', 'Downtown store'),
  ('c0000000-0000-4000-8000-0000000000b1', 'b0000000-0000-4000-8000-00000000000b', 'Harbor depot'),
  ('c0000000-0000-4000-8000-0000000000b2', 'b0000000-0000-4000-8000-00000000000b', 'Uptown counter');

-- 32 products per vendor: every adjective with every noun of the vendor's line.
insert into public.products (id, vendor_id, sku, name, description, price, low_stock_threshold, active)
select
  md5(c.vendor_id::text || c.sku)::uuid, c.vendor_id, c.sku, c.name,
  'Demo product ' || c.name || '.', c.price, 5, true
from (
  select v.vendor_id,
         v.prefix || '-' || lpad((row_number() over (partition by v.vendor_id order by a.ord, n.ord))::text, 3, '0') as sku,
         a.word || ' ' || n.word as name,
         round((v.base + a.ord * 3.5 + n.ord * 1.25)::numeric, 2) as price
  from (values
    ('b0000000-0000-4000-8000-00000000000a'::uuid, 'NW', 12.0, array['Jacket', 'Backpack', 'Beanie', 'Tent', 'Lantern', 'Compass', 'Bottle', 'Gloves']),
    ('b0000000-0000-4000-8000-00000000000b'::uuid, 'HB', 4.0, array['Hammer', 'Wrench', 'Drill', 'Saw', 'Ladder', 'Toolbox', 'Clamp', 'Level'])
  ) as v (vendor_id, prefix, base, nouns)
  cross join lateral unnest(v.nouns) with ordinality as n (word, ord)
  cross join unnest(array['Classic', 'Compact', 'Heavy-duty', 'Trail']) with ordinality as a (word, ord)
) c;

-- Stock at both locations of the vendor; a few products run low or out at one of them.
insert into public.inventory_levels (product_id, location_id, vendor_id, on_hand)
select p.id, l.id, p.vendor_id,
       case when substr(p.sku, 4)::integer % 9 = 0 and l.name in ('Downtown store', 'Uptown counter') then 0
            else (substr(p.sku, 4)::integer * 7 + length(l.name) * 3) % 40 + 2 end
from public.products p
join public.locations l on l.vendor_id = p.vendor_id;

insert into public.stock_movements (vendor_id, product_id, location_id, kind, on_hand_delta, reason, actor_role, level_version)
select vendor_id, product_id, location_id, 'restock', on_hand, 'initial stock (seed)', 'postgres', version
from public.inventory_levels
where on_hand > 0;
