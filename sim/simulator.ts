import { setTimeout as delay } from 'node:timers/promises';
import { closeClient, inBatches, signIn, signInOrUp, simClient, type Account, type Client, type Login } from './accounts.ts';
import { Catalog } from './catalog.ts';
import { Pacer } from './pacer.ts';
import { pick } from './random.ts';
import { Shopper, type ShopperSettings } from './shopper.ts';
import { Tally, type SimSummary } from './tally.ts';
import { VendorDesk, type DeskSettings } from './vendor-desk.ts';

export interface SimOptions {
  url: string;
  anonKey: string;
  /** Stock RPCs per second, all accounts together. */
  rate: number;
  /** Vendors to work on; default: every vendor the vendor logins belong to. */
  vendorIds?: string[];
  /** Vendor accounts that restock and count. */
  vendorLogins: Login[];
  /** How many shopper accounts; each is `<shopperPrefix>.<n>@example.com`. */
  shoppers: number;
  shopperPrefix: string;
  shopperPassword: string;
  shopper: ShopperSettings;
  vendor: DeskSettings;
  /** Stock changes per minute at most per vendor account and vendor, so that a person using the same login keeps most of its rate limit. */
  vendorOpsPerMinute: number;
  /** The server's per-user limit of stock RPCs (supabase/README.md "Rate limiting"). */
  userLimit: { max: number; periodSeconds: number };
  /** Calls onSummary this often. */
  summaryEverySeconds: number;
  onSummary?: (summary: SimSummary) => void;
  /** Progress and warnings, one line each. */
  log: (line: string) => void;
  /** The fetch the clients use (a test can drop connections with it); default: global fetch. */
  fetch?: typeof fetch;
}

export const DEMO_VENDOR_LOGINS = ['vendor.a@example.com', 'vendor.b@example.com'];

export const DEFAULT_VENDOR_PASSWORD = 'demo-password';

/** Options with the defaults `npm run sim` documents: the demo vendor logins, 2 RPCs/s, 8 shoppers. */
export function simOptions(given: Pick<SimOptions, 'url' | 'anonKey' | 'log'> & Partial<SimOptions>): SimOptions {
  const rate = given.rate ?? 2;
  return {
    rate,
    vendorLogins: DEMO_VENDOR_LOGINS.map((email) => ({ email, password: DEFAULT_VENDOR_PASSWORD })),
    shoppers: shoppersFor(rate),
    shopperPrefix: 'sim.shopper',
    shopperPassword: 'sim-shopper-password',
    shopper: { abandonShare: 0.2, shortTtlSeconds: [20, 45], holdTtlSeconds: [90, 240] },
    vendor: { deliveryLagSeconds: [60, 180], countingSeconds: [2, 8] },
    vendorOpsPerMinute: 12,
    userLimit: { max: 60, periodSeconds: 60 },
    summaryEverySeconds: 10,
    ...given,
  };
}

/** Enough shoppers that each stays well under the per-user limit at this rate. */
export const shoppersFor = (rate: number) => Math.max(8, Math.ceil(rate * 1.5));

export interface Simulator {
  /** The vendors it works on. */
  vendorIds: string[];
  shoppers: number;
  /** Vendor account emails with the vendors they work. */
  desks: Array<{ email: string; vendorId: string }>;
  summary(): SimSummary;
  /** Stops within a second or two: waits briefly for calls in flight, aborts the rest, closes channels, signs out. */
  stop(): Promise<SimSummary>;
}

const VENDOR_SHARE = 0.3;

/**
 * Signs in the accounts, reads what they can see, and starts the traffic: about `rate` stock RPCs
 * a second, each by an idle account whose pace allows it.
 */
export async function startSimulator(opts: SimOptions): Promise<Simulator> {
  const tally = new Tally(opts.log);
  const controller = new AbortController();
  const { signal } = controller;
  const clients: Array<{ client: Client; signedIn: boolean }> = [];
  const newClient = () => {
    const client = simClient(opts.url, opts.anonKey, opts.fetch);
    clients.push({ client, signedIn: false });
    return client;
  };
  const serverPacer = () => Pacer.forServerLimit(opts.userLimit.max, opts.userLimit.periodSeconds);
  const closeAll = () => Promise.all(clients.map(({ client, signedIn }) => closeClient(client, signedIn)));
  const track = (account: Account) => {
    clients.find((c) => c.client === account.client)!.signedIn = true;
    return account;
  };

  try {
    const vendorAccounts: Array<{ account: Account; vendorIds: string[] }> = [];
    for (const login of opts.vendorLogins) {
      try {
        const account = track(await signIn(newClient(), login));
        const { data, error } = await account.client.from('vendor_members').select('vendor_id').eq('user_id', account.userId).abortSignal(signal);
        if (error) throw new Error(`${login.email}: reading memberships failed: ${error.message}`);
        vendorAccounts.push({ account, vendorIds: data.map((m) => m.vendor_id) });
      } catch (err) {
        opts.log(`${(err as Error).message}; no stock changes by this login`);
      }
    }
    const vendorIds = opts.vendorIds?.length ? [...new Set(opts.vendorIds)] : [...new Set(vendorAccounts.flatMap((v) => v.vendorIds))].sort();
    if (vendorIds.length === 0) throw new Error('no vendors to work on: no vendor login signed in with a membership, and no vendor given');

    const catalog = new Catalog(newClient(), vendorIds, tally, opts.log);
    await catalog.load(signal);
    if (catalog.size === 0) throw new Error(`the vendors ${vendorIds.join(', ')} have no active products to shop`);

    const desks: VendorDesk[] = [];
    for (const { account, vendorIds: own } of vendorAccounts) {
      const pacer = serverPacer();
      for (const vendorId of own.filter((id) => vendorIds.includes(id))) {
        desks.push(new VendorDesk(account, vendorId, pacer, new Pacer(opts.vendorOpsPerMinute, 60, 2), tally, opts.vendor, opts.log));
      }
    }
    for (const vendorId of vendorIds) if (!desks.some((d) => d.vendorId === vendorId)) opts.log(`vendor ${vendorId}: no vendor login works it; shoppers only`);
    await Promise.all(desks.map((d) => d.load(signal)));

    const logins = Array.from({ length: opts.shoppers }, (_, i) => ({ email: `${opts.shopperPrefix}.${i + 1}@example.com`, password: opts.shopperPassword }));
    const accounts = await inBatches(logins, 4, async (login) => track(await signInOrUp(newClient(), login)));
    const shoppers = accounts.map((account) => new Shopper(account, serverPacer(), catalog, tally, opts.shopper));

    catalog.subscribe(signal);
    for (const desk of desks) desk.subscribe(signal);
    return run(opts, tally, controller, { catalog, desks, shoppers, vendorIds, closeAll });
  } catch (err) {
    controller.abort();
    await closeAll();
    throw err;
  }
}

function run(
  opts: SimOptions,
  tally: Tally,
  controller: AbortController,
  parts: { catalog: Catalog; desks: VendorDesk[]; shoppers: Shopper[]; vendorIds: string[]; closeAll: () => Promise<unknown> },
): Simulator {
  const { catalog, desks, shoppers } = parts;
  const { signal } = controller;
  const inFlight = new Set<Promise<void>>();
  const start = (work: Promise<void>) => {
    const done: Promise<void> = work
      .catch((err: Error) => tally.otherFailure('simulator', 0, err.stack ?? err.message))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const holding = () => shoppers.reduce((sum, s) => sum + s.holding, 0);
  const anyReady = <T extends { ready(now: number): boolean }>(actors: T[], now: number) => pick(actors.filter((a) => a.ready(now)));

  let tickTimer: NodeJS.Timeout | undefined;
  tally.begin();
  const tick = () => {
    // Poisson-ish arrivals around the mean rate.
    tickTimer = setTimeout(tick, (1000 / opts.rate) * (0.5 + Math.random()));
    const now = Date.now();
    const desk = Math.random() < VENDOR_SHARE ? anyReady(desks, now) : undefined;
    const actor = desk ?? anyReady(shoppers, now) ?? anyReady(desks, now);
    if (actor) start(actor.act(signal));
    else tally.throttled++;
  };
  tick();

  const timers = [
    setInterval(() => {
      for (const shopper of shoppers) start(shopper.watchExpiries(signal));
    }, 2000),
    setInterval(() => start(catalog.load(signal)), 30_000),
    setInterval(() => desks.forEach((d) => start(d.load(signal))), 60_000),
    setInterval(() => opts.onSummary?.(tally.summary(holding())), opts.summaryEverySeconds * 1000),
  ];

  let stopped: Promise<SimSummary> | undefined;
  return {
    vendorIds: parts.vendorIds,
    shoppers: shoppers.length,
    desks: desks.map((d) => ({ email: d.email, vendorId: d.vendorId })),
    summary: () => tally.summary(holding()),
    stop() {
      stopped ??= (async () => {
        clearTimeout(tickTimer);
        timers.forEach(clearInterval);
        await Promise.race([Promise.allSettled([...inFlight]), delay(1000, undefined, { ref: false })]);
        controller.abort();
        await Promise.allSettled([...inFlight]);
        await Promise.race([parts.closeAll(), delay(1500, undefined, { ref: false })]);
        return tally.summary(holding());
      })();
      return stopped;
    },
  };
}
