import type pg from 'pg';
import type { ChangeRegistry } from './changes/registry.ts';
import type { Hub } from './hub.ts';
import type { RealtimeLimits } from './limits.ts';
import type { Presence } from './presence.ts';

/** What sockets and channels share within one Realtime service. */
export interface RealtimeContext {
  jwtSecret: string;
  limits: RealtimeLimits;
  /** Superuser pool for authorization checks, subscription checks and replay. */
  pool: pg.Pool;
  hub: Hub;
  presence: Presence;
  registry: ChangeRegistry;
  replicationReady(): boolean;
  /** Metrics: a frame went out to a client. */
  frameSent(): void;
  log(line: string): void;
}
