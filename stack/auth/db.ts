import type pg from 'pg';

export type Queryable = Pick<pg.ClientBase, 'query'>;

/** GoTrue's `storage.NewCommitWithError`: commit the work done so far, then fail the request. */
export class CommitThenThrow extends Error {
  constructor(readonly error: Error) {
    super(error.message);
  }
}

export async function inTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    try {
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (err) {
      if (err instanceof CommitThenThrow) {
        await client.query('commit');
        throw err.error;
      }
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw err;
    }
  } finally {
    // A connection that could not roll back is discarded rather than returned to the pool.
    client.release(broken);
  }
}

/** GoTrue keeps every row in the nil instance; rows with another instance_id are invisible to it. */
export const NIL_INSTANCE = '00000000-0000-0000-0000-000000000000';
