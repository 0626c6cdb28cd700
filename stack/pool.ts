import pg from 'pg';

/**
 * A pg.Pool that survives Postgres going away. pg-pool listens for errors only on idle clients:
 * a checked-out client that the server drops between two queries (postmaster killed, backend
 * terminated) emits an 'error' nobody handles, which ends the process. Every client gets a
 * listener of its own; the next query on a dropped client fails, and its caller answers that.
 */
export function createPool(config: pg.PoolConfig, name: string, log: (line: string) => void): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', (err) => log(`${name}: ${err.message}`));
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
