-- On hosted Supabase, pg_cron runs the monitoring jobs; the local stack runs them from
-- stack/sweeper.ts (same cadence), since its Postgres has no pg_cron.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
    perform cron.schedule('send-realtime-canary', '4 seconds', 'select public.send_realtime_canary()');
    perform cron.schedule('sample-database-health', '10 seconds', 'select public.sample_database_health()');
    perform cron.schedule('maintain-telemetry', '* * * * *', 'select public.maintain_telemetry()');
  end if;
end
$$;
