-- Demo data: two vendors with three locations each, 35 products each (outdoor gear, tools), opening
-- stock, a short order history and some items on hold. Fixed ids so demos and docs can refer to
-- them. Every user's password is demo-password.
--   admin@example.com        platform admin (app_metadata.role = 'admin')
--   vendor.a@example.com     owner of Northwind Outfitters
--   vendor.b@example.com     owner of Harbor Hardware
--   shopper@example.com      customer: three past orders, an empty cart
--   priya.shah@example.com, marcus.lee@example.com, lena.fischer@example.com
--                            customers with past orders and items on hold
--
-- Stock, reservations and orders go through the domain RPCs (adjust_stock, set_stock,
-- reserve_stock, release_reservation, checkout) called as the user who would make them, with the
-- role and JWT claims set as PostgREST sets them, so the ledger explains every counter and
-- stock_drift_report() is empty. The holds expire after the vendor's TTL (10 or 15 minutes),
-- like any other. Idempotency keys are fixed ('seed-...').

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
  ('a0000000-0000-4000-8000-000000000004'::uuid, 'shopper@example.com', 'Sam Shopper', '{}'::jsonb),
  ('a0000000-0000-4000-8000-000000000005'::uuid, 'priya.shah@example.com', 'Priya Shah', '{}'::jsonb),
  ('a0000000-0000-4000-8000-000000000006'::uuid, 'marcus.lee@example.com', 'Marcus Lee', '{}'::jsonb),
  ('a0000000-0000-4000-8000-000000000007'::uuid, 'lena.fischer@example.com', 'Lena Fischer', '{}'::jsonb)
) as u (id, email, display_name, app_metadata);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select id::text, id, jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from auth.users
where id::text like 'a0000000-0000-4000-8000-00000000000_';

insert into public.vendors (id, name, reservation_ttl_seconds) values
  ('b0000000-0000-4000-8000-00000000000a', 'Northwind Outfitters', 600),
  ('b0000000-0000-4000-8000-00000000000b', 'Harbor Hardware', 900);

insert into public.vendor_members (vendor_id, user_id, role) values
  ('b0000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-000000000002', 'owner'),
  ('b0000000-0000-4000-8000-00000000000b', 'a0000000-0000-4000-8000-000000000003', 'owner');

insert into public.locations (id, vendor_id, name) values
  ('c0000000-0000-4000-8000-0000000000a1', 'b0000000-0000-4000-8000-00000000000a', 'Main warehouse'),
  ('c0000000-0000-4000-8000-0000000000a2', 'b0000000-0000-4000-8000-00000000000a', 'Downtown store'),
  ('c0000000-0000-4000-8000-0000000000a3', 'b0000000-0000-4000-8000-00000000000a', 'Lakeside outlet'),
  ('c0000000-0000-4000-8000-0000000000b1', 'b0000000-0000-4000-8000-00000000000b', 'Harbor depot'),
  ('c0000000-0000-4000-8000-0000000000b2', 'b0000000-0000-4000-8000-00000000000b', 'Uptown store'),
  ('c0000000-0000-4000-8000-0000000000b3', 'b0000000-0000-4000-8000-00000000000b', 'Westgate trade counter');

-- The catalog, with the opening stock at the vendor's first, second and third location.
create temporary table seed_catalog (
  vendor_id uuid not null,
  sku text not null,
  name text not null,
  description text not null,
  price numeric(12, 2) not null,
  low_stock_threshold integer not null,
  active boolean not null,
  stock integer[] not null
);

-- The SKU's prefix names the vendor: NW- Northwind, HB- Harbor.
insert into seed_catalog
select case split_part(sku, '-', 1) when 'NW' then 'b0000000-0000-4000-8000-00000000000a'::uuid when 'HB' then 'b0000000-0000-4000-8000-00000000000b'::uuid end,
       sku, name, description, price, threshold, active, stock
from (values
  ('NW-JKT-STORM', 'Stormline Rain Jacket', 'Three-layer waterproof shell with taped seams and a helmet-compatible hood.', 189.00, 5, true, '{46,8,5}'::integer[]),
  ('NW-JKT-DOWN', 'Ridgeback Down Jacket', '650-fill down jacket that packs into its own chest pocket.', 229.00, 6, true, '{3,1,0}'),
  ('NW-JKT-FLEECE', 'Cairn Fleece Pullover', 'Midweight grid fleece that breathes on the climb and keeps you warm at the top.', 79.00, 8, true, '{60,14,9}'),
  ('NW-VST-SYN', 'Alder Insulated Vest', 'Synthetic insulation that stays warm when damp, with two zip hand pockets.', 99.00, 5, true, '{24,6,0}'),
  ('NW-PNT-TREK', 'Switchback Trekking Pants', 'Stretch nylon pants with zip-off legs and a UPF 50 finish.', 84.00, 6, true, '{38,9,7}'),
  ('NW-BASE-MER', 'Merino Base Layer Crew', '200 g/m² merino crew that regulates temperature and resists odour.', 69.00, 10, true, '{72,18,12}'),
  ('NW-SCK-HIKE', 'Trailhead Hiking Socks, 2 pack', 'Cushioned merino-blend socks with a seamless toe.', 24.00, 20, true, '{140,35,22}'),
  ('NW-BNE-KNIT', 'Harbour Knit Beanie', 'Ribbed wool-blend beanie with a fleece lining for cold mornings.', 22.00, 12, true, '{0,2,1}'),
  ('NW-GLV-TOUR', 'Summit Touring Gloves', 'Windproof softshell gloves with touchscreen fingertips.', 39.00, 8, true, '{31,7,4}'),
  ('NW-BPK-28', 'Pathfinder 28 L Daypack', 'Ventilated back panel, hydration sleeve and a rain cover stowed in the lid.', 109.00, 5, true, '{27,6,3}'),
  ('NW-BPK-55', 'Longtrail 55 L Backpack', 'Adjustable torso, load lifters and a padded hip belt for multi-day trips.', 219.00, 3, true, '{12,2,0}'),
  ('NW-TNT-2P', 'Nightjar 2-Person Tent', 'Freestanding three-season tent with two doors and two vestibules, 1.9 kg packed.', 349.00, 3, true, '{9,2,1}'),
  ('NW-TNT-4P', 'Basecamp 4-Person Tent', 'Family tent with near-vertical walls and a porch for muddy boots.', 429.00, 2, true, '{2,0,0}'),
  ('NW-BAG-DOWN', 'Ember Down Sleeping Bag', 'Mummy bag rated to -5 °C with a draft collar and a two-way zip.', 259.00, 3, true, '{8,1,1}'),
  ('NW-BAG-SYN', 'Lakeside Synthetic Sleeping Bag', 'Rectangular bag rated to 5 °C that unzips into a quilt.', 119.00, 4, true, '{15,3,4}'),
  ('NW-MAT-AIR', 'Driftwood Insulated Sleeping Pad', 'Inflatable pad with an R-value of 4.2 that packs to the size of a water bottle.', 139.00, 4, true, '{18,4,2}'),
  ('NW-STV-CAN', 'Kestrel Canister Stove', 'Boils a litre in three and a half minutes, with piezo ignition and folding pot supports.', 59.00, 6, true, '{33,8,5}'),
  ('NW-POT-TI', 'Titanium Cook Pot 900 ml', 'Light pot with a strainer lid; a small fuel canister nests inside.', 49.00, 6, true, '{21,5,3}'),
  ('NW-LNT-LED', 'Glowworm LED Lantern', 'Rechargeable 300-lumen lantern with a warm-light mode and a hanging hook.', 34.00, 8, true, '{44,10,6}'),
  ('NW-HDL-400', 'Beacon 400 Headlamp', '400-lumen headlamp with a red night mode and a USB-C battery.', 44.00, 10, true, '{52,12,8}'),
  ('NW-BTL-750', 'Insulated Bottle 750 ml', 'Double-wall steel bottle that keeps drinks cold for 24 hours.', 32.00, 12, true, '{88,20,15}'),
  ('NW-FLT-SQZ', 'Clearstream Water Filter', 'Squeeze filter that removes 99.9999 % of bacteria and threads onto standard bottles.', 38.00, 8, true, '{5,2,0}'),
  ('NW-CMP-BASE', 'Baseplate Compass', 'Liquid-filled compass with adjustable declination and a 1:25,000 romer.', 29.00, 6, true, '{19,5,2}'),
  ('NW-PLS-CRB', 'Carbon Trekking Poles, pair', 'Three-section carbon poles with cork grips and flick locks.', 129.00, 4, true, '{14,3,2}'),
  ('NW-BOT-MID', 'Granite Mid Hiking Boots', 'Waterproof leather boots with a grippy lugged sole.', 179.00, 4, true, '{22,5,3}'),
  ('NW-SHO-TRL', 'Scree Trail Runners', 'Light trail shoes with a rock plate and a 4 mm drop.', 139.00, 5, true, '{17,4,0}'),
  ('NW-GTR-ALP', 'Alpine Gaiters', 'Waterproof knee-high gaiters that keep snow and scree out of your boots.', 45.00, 5, true, '{13,3,2}'),
  ('NW-FAK-TRL', 'Trail First Aid Kit', 'Kit for two people on a weekend trip, in a waterproof pouch.', 36.00, 6, true, '{26,6,4}'),
  ('NW-HMK-CNP', 'Canopy Hammock', 'Parachute-nylon hammock with tree-friendly straps; holds 150 kg.', 69.00, 4, true, '{11,3,2}'),
  ('NW-CHR-FLD', 'Foldaway Camp Chair', 'Packable chair with a steel frame, a cup holder and a carry bag.', 54.00, 5, true, '{0,0,0}'),
  ('NW-DRY-20', 'Roll-Top Dry Bag 20 L', 'Welded-seam dry bag for kayaks, canoes and rainy portages.', 28.00, 10, true, '{48,11,9}'),
  ('NW-BVY-EMG', 'Emergency Bivvy', 'Reflective bivvy bag that keeps 90 % of body heat in, at 110 g.', 19.00, 10, true, '{63,15,10}'),
  ('NW-TRP-3X3', 'Ultralight Tarp 3 × 3 m', 'Silnylon tarp with 16 tie-outs for shelters and camp kitchens.', 89.00, 4, true, '{10,2,1}'),
  ('NW-JKT-WIND', 'Gustline Wind Shell', 'Featherweight wind shell; last season''s colours, no longer sold.', 89.00, 5, false, '{4,0,1}'),
  ('NW-GPS-TM2', 'Trailmate Handheld GPS', 'Handheld GPS with topographic maps; discontinued.', 249.00, 2, false, '{2,0,0}'),
  ('HB-HAM-16', 'Claw Hammer 16 oz', 'Fibreglass handle with an anti-vibration grip and a magnetic nail starter.', 24.99, 8, true, '{64,12,18}'),
  ('HB-MLT-DB', 'Dead-Blow Mallet', 'Shot-filled head that lands without bounce or marks.', 29.99, 4, true, '{18,3,5}'),
  ('HB-SCR-12', '12-Piece Screwdriver Set', 'Phillips, slotted and Torx drivers with magnetic tips and cushioned handles.', 34.99, 6, true, '{41,9,11}'),
  ('HB-WRN-10', 'Adjustable Wrench 10 in', 'Chrome-vanadium wrench with a wide jaw and a laser-etched scale.', 19.99, 6, true, '{37,8,10}'),
  ('HB-SKT-40', '40-Piece Socket Set', 'Quarter- and three-eighths-inch drive sockets with a 72-tooth ratchet, in a case.', 59.99, 4, true, '{16,3,4}'),
  ('HB-DRL-18V', '18 V Cordless Drill/Driver Kit', 'Two-speed drill with a 13 mm chuck, two 2.0 Ah batteries and a charger.', 129.00, 4, true, '{19,4,5}'),
  ('HB-IMP-18V', '18 V Impact Driver, tool only', 'Three-speed impact driver with 180 N·m of torque; takes any Harbor 18 V battery.', 109.00, 3, true, '{2,1,0}'),
  ('HB-BAT-18V', '18 V 4.0 Ah Battery', 'High-capacity battery with a charge gauge; fits every Harbor 18 V tool.', 69.00, 6, true, '{28,6,8}'),
  ('HB-SAW-CIRC', '7¼ in Circular Saw', '1,400 W saw that bevels to 56°, with an electric brake.', 99.00, 3, true, '{9,1,2}'),
  ('HB-SAW-PULL', 'Japanese Pull Saw', 'Thin-kerf pull saw for clean crosscuts and joinery.', 27.99, 5, true, '{23,5,6}'),
  ('HB-SAW-HACK', '300 mm Hacksaw', 'Hacksaw with a quick-tension lever and a bi-metal blade.', 16.99, 6, true, '{30,7,8}'),
  ('HB-JIG-VS', 'Variable-Speed Jigsaw', 'Orbital action, tool-free blade changes and a dust blower.', 79.00, 3, true, '{11,2,3}'),
  ('HB-SND-125', 'Random Orbit Sander 125 mm', 'Hook-and-loop pads, variable speed and a dust bag.', 64.99, 4, true, '{14,3,0}'),
  ('HB-LVL-600', '600 mm Spirit Level', 'Aluminium level with three shock-resistant vials and a milled edge.', 22.99, 6, true, '{27,6,7}'),
  ('HB-LVL-LSR', 'Cross-Line Laser Level', 'Self-levelling laser that projects level and plumb lines up to 15 m.', 89.00, 3, true, '{6,1,1}'),
  ('HB-TAP-8M', '8 m Tape Measure', 'Nylon-coated blade with 3 m of stand-out and a belt clip.', 14.99, 12, true, '{95,20,26}'),
  ('HB-KNF-UTL', 'Retractable Utility Knife', 'Tool-free blade change, with five spare blades stored in the handle.', 9.99, 15, true, '{120,25,30}'),
  ('HB-PLR-3', '3-Piece Pliers Set', 'Combination, long-nose and diagonal-cutting pliers with insulated grips.', 29.99, 6, true, '{25,6,7}'),
  ('HB-CLP-F300', '300 mm F-Clamps, 2 pack', 'Quick-slide bar clamps with hardwood grips.', 18.99, 8, true, '{36,8,0}'),
  ('HB-BOX-STL', 'Steel Cantilever Toolbox', 'Three-tray toolbox with a lockable latch.', 49.99, 4, true, '{13,3,3}'),
  ('HB-LAD-3S', '3-Step Aluminium Ladder', 'Folding step ladder with a wide top platform and non-slip treads, rated 150 kg.', 79.00, 3, true, '{8,2,2}'),
  ('HB-LAD-6M', '6 m Extension Ladder', 'Two-section aluminium ladder with a rope and pulley, rated 150 kg.', 249.00, 1, true, '{1,0,0}'),
  ('HB-SCW-500', 'Wood Screw Assortment, 500 pcs', 'Zinc-plated countersunk screws in ten sizes, in a sorted case.', 16.99, 20, true, '{150,30,45}'),
  ('HB-ANC-200', 'Wall Anchor Kit, 200 pcs', 'Plugs and screws for plasterboard, brick and concrete.', 12.99, 20, true, '{12,4,3}'),
  ('HB-NAL-65', '65 mm Framing Nails, 1 kg', 'Bright round-head nails for framing and general carpentry.', 8.99, 25, true, '{180,40,60}'),
  ('HB-GLU-PVA', 'PVA Wood Glue 500 ml', 'Water-resistant glue that sets in 20 minutes and sands clean.', 9.49, 15, true, '{70,16,20}'),
  ('HB-TPE-DUCT', 'Heavy-Duty Duct Tape', '48 mm × 50 m cloth tape that tears by hand and holds outdoors.', 7.99, 20, true, '{110,24,30}'),
  ('HB-PPE-GLS', 'Safety Glasses', 'Anti-fog, scratch-resistant glasses rated EN 166.', 6.99, 20, true, '{85,18,25}'),
  ('HB-PPE-EAR', 'Ear Defenders', 'Padded over-ear protection with a 30 dB noise reduction rating.', 19.99, 8, true, '{0,0,0}'),
  ('HB-PPE-GLV', 'Nitrile Work Gloves, pair', 'Nitrile-coated gloves with a breathable knit back.', 5.99, 25, true, '{200,40,55}'),
  ('HB-STD-FND', 'Stud Finder', 'Finds wood and metal studs and live wiring through 38 mm of wall.', 29.99, 5, true, '{15,4,4}'),
  ('HB-CHS-4', '4-Piece Wood Chisel Set', 'Bevel-edge chisels of 6, 12, 18 and 25 mm with striking caps.', 39.99, 4, true, '{10,2,3}'),
  ('HB-BNC-FLD', 'Folding Workbench', 'Portable bench with a clamping top that folds flat for storage.', 89.99, 2, true, '{5,1,0}'),
  ('HB-CAU-GUN', 'Caulking Gun', 'Smooth-rod gun with a drip-free release for standard 310 ml cartridges.', 11.99, 8, true, '{40,9,12}'),
  ('HB-DRL-12V', '12 V Cordless Drill', 'Compact drill replaced by the 18 V range; no longer sold.', 69.00, 3, false, '{3,0,1}')
) as c (sku, name, description, price, threshold, active, stock);

insert into public.products (id, vendor_id, sku, name, description, price, low_stock_threshold, active)
select md5(vendor_id::text || sku)::uuid, vendor_id, sku, name, description, price, low_stock_threshold, active
from seed_catalog;

-- One row per product and location of its vendor: the opening stock to count in.
create temporary table seed_stock as
select c.vendor_id, md5(c.vendor_id::text || c.sku)::uuid as product_id, l.id as location_id, c.sku, l.n, c.stock[l.n] as quantity
from seed_catalog c
join (select id, vendor_id, row_number() over (partition by vendor_id order by id)::integer as n from public.locations) l
  on l.vendor_id = c.vendor_id;

-- What happened since: a dropped lantern, a miscount, a delivery, damage, and two cycle counts
-- (the stock count at a location, by set_stock against the version read).
create temporary table seed_stock_changes (sku text not null, n integer not null, kind text not null, amount integer not null, reason text);
insert into seed_stock_changes values
  ('NW-LNT-LED', 2, 'adjust', -1, 'damaged'),
  ('NW-BTL-750', 3, 'adjust', -2, 'correction'),
  ('NW-GLV-TOUR', 1, 'count', 29, null),
  ('HB-LVL-600', 2, 'adjust', -1, 'damaged'),
  ('HB-TAP-8M', 2, 'adjust', 24, 'received'),
  ('HB-KNF-UTL', 3, 'count', 28, null);

-- Orders: each checkout holds its lines first (reserve_stock), as a shopper's cart does.
create temporary table seed_orders (customer_id uuid not null, ref text not null, sku text not null, quantity integer not null);
insert into seed_orders values
  ('a0000000-0000-4000-8000-000000000004', 'sam-1', 'NW-JKT-STORM', 1),
  ('a0000000-0000-4000-8000-000000000004', 'sam-1', 'NW-BASE-MER', 2),
  ('a0000000-0000-4000-8000-000000000004', 'sam-2', 'HB-DRL-18V', 1),
  ('a0000000-0000-4000-8000-000000000004', 'sam-2', 'HB-BAT-18V', 1),
  ('a0000000-0000-4000-8000-000000000004', 'sam-3', 'NW-BPK-28', 1),
  ('a0000000-0000-4000-8000-000000000004', 'sam-3', 'NW-HDL-400', 1),
  ('a0000000-0000-4000-8000-000000000005', 'priya-1', 'NW-TNT-4P', 2),
  ('a0000000-0000-4000-8000-000000000005', 'priya-1', 'NW-MAT-AIR', 2),
  ('a0000000-0000-4000-8000-000000000006', 'marcus-1', 'HB-LAD-6M', 1),
  ('a0000000-0000-4000-8000-000000000006', 'marcus-1', 'HB-SCW-500', 2),
  ('a0000000-0000-4000-8000-000000000006', 'marcus-2', 'HB-PPE-GLV', 10),
  ('a0000000-0000-4000-8000-000000000007', 'lena-1', 'NW-BOT-MID', 1),
  ('a0000000-0000-4000-8000-000000000007', 'lena-1', 'NW-SCK-HIKE', 3),
  ('a0000000-0000-4000-8000-000000000007', 'lena-2', 'HB-SCR-12', 1);

-- Items on hold (active reservations) of the other customers; Lena let go of a tent.
create temporary table seed_holds (customer_id uuid not null, sku text not null, quantity integer not null, released boolean not null);
insert into seed_holds values
  ('a0000000-0000-4000-8000-000000000005', 'NW-STV-CAN', 1, false),
  ('a0000000-0000-4000-8000-000000000005', 'NW-POT-TI', 1, false),
  ('a0000000-0000-4000-8000-000000000006', 'HB-HAM-16', 1, false),
  ('a0000000-0000-4000-8000-000000000006', 'HB-LVL-LSR', 1, false),
  ('a0000000-0000-4000-8000-000000000007', 'NW-BAG-DOWN', 1, false),
  ('a0000000-0000-4000-8000-000000000007', 'HB-BNC-FLD', 1, false),
  ('a0000000-0000-4000-8000-000000000007', 'NW-TNT-2P', 1, true);

-- The statements below run as API users, and read the plan above.
grant select on seed_catalog, seed_stock, seed_stock_changes, seed_orders, seed_holds to authenticated;

-- Each statement runs as the user who would make the change: role and JWT claims set as
-- PostgREST sets them for a request, back to postgres after.
do $$
declare
  v_owner record;
  v_customer uuid;
  v_ref text;
begin
  -- Vendors' owners count in the opening stock (a level with nothing is counted in as zero),
  -- then record what happened since.
  for v_owner in
    select m.vendor_id, m.user_id from public.vendor_members m
    where m.role = 'owner' and m.vendor_id in (select vendor_id from seed_catalog)
    order by m.vendor_id
  loop
    perform set_config('role', 'authenticated', true),
            set_config('request.jwt.claims', jsonb_build_object('sub', v_owner.user_id, 'role', 'authenticated', 'aud', 'authenticated')::text, true);
    perform public.adjust_stock(s.product_id, s.location_id, s.quantity, 'received', format('seed-received-%s-%s', s.sku, s.n))
    from seed_stock s where s.vendor_id = v_owner.vendor_id and s.quantity > 0;
    perform public.set_stock(s.product_id, s.location_id, 0, 0, format('seed-count-%s-%s', s.sku, s.n))
    from seed_stock s where s.vendor_id = v_owner.vendor_id and s.quantity = 0;
    perform public.adjust_stock(s.product_id, s.location_id, x.amount, x.reason, format('seed-%s-later-%s-%s', x.reason, x.sku, x.n))
    from seed_stock_changes x join seed_stock s using (sku, n)
    where s.vendor_id = v_owner.vendor_id and x.kind = 'adjust';
    perform public.set_stock(l.product_id, l.location_id, x.amount, l.version, format('seed-cycle-count-%s-%s', x.sku, x.n))
    from seed_stock_changes x join seed_stock s using (sku, n) join public.inventory_levels l using (product_id, location_id)
    where s.vendor_id = v_owner.vendor_id and x.kind = 'count';
    reset role;
  end loop;

  -- Customers reserve every line of an order and check it out; then put items on hold, and
  -- release some of them again.
  foreach v_customer in array (select array_agg(distinct customer_id order by customer_id) from (select customer_id from seed_orders union all select customer_id from seed_holds) c)
  loop
    perform set_config('role', 'authenticated', true),
            set_config('request.jwt.claims', jsonb_build_object('sub', v_customer, 'role', 'authenticated', 'aud', 'authenticated')::text, true);
    for v_ref in select distinct o.ref from seed_orders o where o.customer_id = v_customer order by o.ref
    loop
      perform public.checkout(array_agg(r.id order by r.id), format('seed-checkout-%s', v_ref))
      from seed_orders o
      join seed_catalog c using (sku)
      cross join lateral public.reserve_stock(md5(c.vendor_id::text || c.sku)::uuid, o.quantity, format('seed-order-%s-%s', o.ref, o.sku), 600) r
      where o.ref = v_ref;
    end loop;
    perform case when h.released then public.release_reservation(r.id, format('seed-release-%s', h.sku)) end
    from seed_holds h
    join seed_catalog c using (sku)
    cross join lateral public.reserve_stock(md5(c.vendor_id::text || c.sku)::uuid, h.quantity, format('seed-hold-%s', h.sku), 900) r
    where h.customer_id = v_customer;
    reset role;
  end loop;
  perform set_config('request.jwt.claims', '', true);
end;
$$;

drop table seed_holds, seed_orders, seed_stock_changes, seed_stock, seed_catalog;
