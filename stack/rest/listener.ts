// LISTEN pgrst on a dedicated connection, as PostgREST does: 'reload schema' (or an empty payload)
// reloads the schema cache, 'reload config' the in-database configuration. The connection is
// re-established with a growing delay when it drops; notifications missed meanwhile cause a reload.
import pg from 'pg';

export interface Listener {
  close(): Promise<void>;
}

/** Resolves once the first LISTEN is in place (or its attempt failed and a retry is scheduled). */
export async function listenForReloads(opts: {
  connectionString: string;
  onSchema: () => void;
  onConfig: () => void;
  log: (line: string) => void;
}): Promise<Listener> {
  let closed = false;
  let client: pg.Client | undefined;
  let delayMs = 1000;
  let timer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect(true);
    }, delayMs);
    delayMs = Math.min(delayMs * 2, 32_000);
  };

  const connect = async (isRetry: boolean) => {
    const c = new pg.Client({ connectionString: opts.connectionString, application_name: 'stack-rest-listener' });
    client = c;
    c.on('error', (err) => {
      opts.log(`rest: listener connection lost: ${err.message}`);
      scheduleReconnect();
    });
    c.on('end', () => {
      if (!closed) scheduleReconnect();
    });
    c.on('notification', (msg) => {
      if (msg.channel !== 'pgrst') return;
      const payload = msg.payload ?? '';
      if (payload === '' || payload === 'reload schema') opts.onSchema();
      else if (payload === 'reload config') opts.onConfig();
    });
    try {
      await c.connect();
      await c.query('listen pgrst');
      delayMs = 1000;
      if (isRetry) opts.onSchema();
    } catch (err) {
      opts.log(`rest: listener could not connect: ${(err as Error).message}`);
      c.end().catch(() => undefined);
      scheduleReconnect();
    }
  };

  await connect(false);
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
