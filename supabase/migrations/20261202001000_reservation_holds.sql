-- How a vendor holds stock for shoppers: how long a hold lasts (reservation_ttl_seconds) and how
-- many times a shopper may ask to keep holding it (max_reservation_extensions, extend_reservation).
--
-- The floor of reservation_ttl_seconds drops from 60 s to 10 s. Drops and flash sales hold
-- stock for seconds to keep a hot item moving, and a hold that short must be possible to show and
-- test end to end (the expiry screens are tested with a 10 s vendor). Below 10 s the sweeper's
-- cadence (pg_cron every 5 s) would be as long as the hold itself. The shopper's screens show a
-- live countdown and offer to keep holding, so a short hold never ends unannounced.

alter table public.vendors
  drop constraint vendors_reservation_ttl_range,
  add constraint vendors_reservation_ttl_range check (reservation_ttl_seconds between 10 and 86400),
  -- 0: the vendor never extends a hold.
  add column max_reservation_extensions integer not null default 2,
  add constraint vendors_max_reservation_extensions_range check (max_reservation_extensions between 0 and 10);

alter table public.reservations
  add column extension_count integer not null default 0,
  add constraint reservations_extension_count_non_negative check (extension_count >= 0);

-- Owners set it like the TTL (the update policy limits them to their own vendor).
grant update (max_reservation_extensions) on table public.vendors to authenticated;
