-- What the maintenance job samples (pg_cron on hosted Supabase, stack/sweeper.ts locally), so
-- the admin dashboard reads the same time series on both:
--   private.database_health_samples  every 10 s: pg_stat_database and pg_statio_user_tables
--                                    counters (cumulative: rates come from differences between
--                                    samples), connections by state against max_connections, lock
--                                    waits, the longest open transaction, the database size and the
--                                    logical replication slots' lag in bytes
--   private.domain_samples           at most once a minute: active reservations, units held,
--                                    low-stock and sold-out products, ledger drift rows
-- and the realtime canary: a broadcast on the private topic `monitoring:canary` every few seconds
-- carrying the database's clock, sent from the job's transaction like every stock feed event
-- (realtime.send, delivered after commit through replication), which the admin page times on arrival.

create table private.database_health_samples (
  sampled_at timestamptz primary key,
  blks_hit bigint not null,
  blks_read bigint not null,
  xact_commit bigint not null,
  xact_rollback bigint not null,
  deadlocks bigint not null,
  heap_blks_hit bigint not null,
  heap_blks_read bigint not null,
  idx_blks_hit bigint not null,
  idx_blks_read bigint not null,
  -- Client connections to the whole server (max_connections is server-wide).
  connections integer not null,
  connections_active integer not null,
  connections_idle integer not null,
  connections_idle_in_transaction integer not null,
  lock_waits integer not null,
  max_connections integer not null,
  longest_transaction_seconds double precision not null,
  database_bytes bigint not null,
  replication_slots integer not null,
  -- WAL the logical slots of this database have not confirmed, at worst; null without a slot.
  replication_lag_bytes bigint
);

create table private.domain_samples (
  sampled_at timestamptz primary key,
  active_reservations integer not null,
  units_held bigint not null,
  low_stock_items integer not null,
  out_of_stock_items integer not null,
  drift_rows integer not null
);

create sequence private.realtime_canary_seq;

alter table private.database_health_samples enable row level security;
alter table private.domain_samples enable row level security;

revoke all on table private.database_health_samples, private.domain_samples from public, anon, authenticated, service_role;
revoke all on sequence private.realtime_canary_seq from public, anon, authenticated, service_role;

-- The ledger is read by time for per-minute domain signals.
create index stock_movements_created_at_idx on public.stock_movements using brin (created_at);

create policy "Admins can receive the realtime canary" on realtime.messages
  for select to authenticated
  using (extension = 'broadcast' and (select realtime.topic()) = 'monitoring:canary' and (select private.is_admin()));

create function public.sample_database_health() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.database_health_samples (
    sampled_at, blks_hit, blks_read, xact_commit, xact_rollback, deadlocks,
    heap_blks_hit, heap_blks_read, idx_blks_hit, idx_blks_read,
    connections, connections_active, connections_idle, connections_idle_in_transaction, lock_waits, max_connections,
    longest_transaction_seconds, database_bytes, replication_slots, replication_lag_bytes
  )
  select clock_timestamp(), d.blks_hit, d.blks_read, d.xact_commit, d.xact_rollback, d.deadlocks,
         t.heap_blks_hit, t.heap_blks_read, t.idx_blks_hit, t.idx_blks_read,
         a.connections, a.active, a.idle, a.idle_in_transaction, a.lock_waits, current_setting('max_connections')::integer,
         a.longest_transaction_seconds, pg_catalog.pg_database_size(d.datid), s.slots, s.lag_bytes
  from pg_catalog.pg_stat_database d
  cross join lateral (
    select coalesce(sum(heap_blks_hit), 0)::bigint as heap_blks_hit, coalesce(sum(heap_blks_read), 0)::bigint as heap_blks_read,
           coalesce(sum(idx_blks_hit), 0)::bigint as idx_blks_hit, coalesce(sum(idx_blks_read), 0)::bigint as idx_blks_read
    from pg_catalog.pg_statio_user_tables
  ) t
  cross join lateral (
    select count(*)::integer as connections,
           count(*) filter (where state = 'active')::integer as active,
           count(*) filter (where state = 'idle')::integer as idle,
           count(*) filter (where state like 'idle in transaction%')::integer as idle_in_transaction,
           count(*) filter (where wait_event_type = 'Lock')::integer as lock_waits,
           coalesce(extract(epoch from max(clock_timestamp() - xact_start) filter (where pid <> pg_catalog.pg_backend_pid() and state <> 'idle')), 0)::double precision as longest_transaction_seconds
    from pg_catalog.pg_stat_activity
    where backend_type = 'client backend'
  ) a
  cross join lateral (
    select count(*)::integer as slots,
           max(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn))::bigint as lag_bytes
    from pg_catalog.pg_replication_slots
    where slot_type = 'logical' and database = current_database()
  ) s
  where d.datname = current_database();

  if not exists (select 1 from private.domain_samples where sampled_at > clock_timestamp() - interval '55 seconds') then
    -- stock_drift_report() shows the service role every vendor; pg_cron runs without JWT claims.
    if auth.role() is null then
      perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
    end if;
    insert into private.domain_samples (sampled_at, active_reservations, units_held, low_stock_items, out_of_stock_items, drift_rows)
    select clock_timestamp(), r.active, r.units, p.low, p.sold_out, (select count(*)::integer from public.stock_drift_report())
    from (
      select count(*)::integer as active, coalesce(sum(quantity), 0)::bigint as units
      from public.reservations where status = 'active' and expires_at > clock_timestamp()
    ) r,
    (
      select count(*) filter (where available > 0 and available <= low_stock_threshold)::integer as low,
             count(*) filter (where available = 0)::integer as sold_out
      from public.product_availability
    ) p;
  end if;
end;
$$;

-- sent_at is the database's clock in ms since the epoch when the marker was queued; it goes out
-- when the job's transaction commits, as every stock feed event does.
create function public.send_realtime_canary() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('seq', nextval('private.realtime_canary_seq'), 'sent_at', round(extract(epoch from clock_timestamp()) * 1000, 3)),
    'canary', 'monitoring:canary', true
  );
end;
$$;

revoke all on function public.sample_database_health() from public, anon, authenticated, service_role;
revoke all on function public.send_realtime_canary() from public, anon, authenticated, service_role;
grant execute on function public.sample_database_health() to service_role;
grant execute on function public.send_realtime_canary() to service_role;
