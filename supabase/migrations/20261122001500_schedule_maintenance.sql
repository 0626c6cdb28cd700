-- On hosted Supabase, pg_cron runs the sweepers; the local stack runs them from
-- stack/sweeper.ts instead, since its Postgres has no pg_cron.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
    perform cron.schedule('expire-reservations', '5 seconds', 'select public.expire_reservations()');
    perform cron.schedule('purge-idempotency-keys', '17 * * * *', 'select public.purge_idempotency_keys()');
    perform cron.schedule('purge-rate-limits', '47 * * * *', 'select public.purge_rate_limits()');
  end if;
end
$$;
