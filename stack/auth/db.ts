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
  try {
    await client.query('begin');
    let result: T;
    try {
      result = await work(client);
    } catch (err) {
      if (err instanceof CommitThenThrow) {
        await client.query('commit');
        throw err.error;
      }
      await client.query('rollback');
      throw err;
    }
    await client.query('commit');
    return result;
  } finally {
    client.release();
  }
}

/** GoTrue keeps every row in the nil instance; rows with another instance_id are invisible to it. */
export const NIL_INSTANCE = '00000000-0000-0000-0000-000000000000';
