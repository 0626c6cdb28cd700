// The vendor inventory workspace in headless Chromium against the real stack: a vendor with
// BENCH_UI_PRODUCTS products at 2 locations (seeded here, ledger consistent with the levels), the
// built SPA served by `vite preview`. Measures the time to the first painted grid row, then drives
// BENCH_UI_RATE committed stock changes per second (set_stock / adjust_stock) for BENCH_UI_SECONDS,
// half on rows in view, and measures commit→paint, long main-thread tasks, dropped frames, JS heap
// growth and events delivered; plus the initial JS of /shop and /inventory. Baselines of the same
// run: commit→delivery to a plain supabase-js subscriber in Node (a worker thread) for the same
// events, and the same page idle before the events start.
// Prints one JSON line per result on stdout; progress on stderr. Targets are printed, not asserted.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import { build, preview } from 'vite';
import { SYSTEM_CHROMIUM, useSystemChromium } from '../e2e/browser.ts';
import { tempDataDir, freePort } from '../stack/throwaway.ts';
import { BenchWorker, benchClient, benchStackProcess, emit, inTransaction, percentile, progress, type StackHandle } from './harness.ts';

const numberFrom = (raw: string | undefined, fallback: number) => (raw && Number(raw) > 0 ? Number(raw) : fallback);
const PRODUCTS = Math.floor(numberFrom(process.env.BENCH_UI_PRODUCTS, 5000));
const SECONDS = numberFrom(process.env.BENCH_UI_SECONDS, 30);
const RATE = numberFrom(process.env.BENCH_UI_RATE, 100);
const IDLE_SECONDS = numberFrom(process.env.BENCH_UI_IDLE_SECONDS, 5);
const LOADS = Math.floor(numberFrom(process.env.BENCH_UI_LOADS, 3));
/** Share of the changes made on rows in view; the others go to rows far below the fold. */
const VISIBLE_SHARE = Math.min(1, numberFrom(process.env.BENCH_UI_VISIBLE_SHARE, 0.5));
/** A file for a Chromium trace of the event phase (DevTools' Performance panel opens it); tracing slows the page. */
const TRACE_FILE = process.env.BENCH_UI_TRACE;
// BENCH_UI_NO_MINIFY=1 builds the SPA unminified, so the trace's CPU profile names functions.
const DRAIN_SECONDS = 10;
const WAIT_MS = 120_000;
const MAX_IN_FLIGHT = 16;
const LOCATIONS = ['Bench North', 'Bench South'];
const VIEWPORT = { width: 1440, height: 900 };
const PASSWORD = 'bench-ui-password';
const TARGETS = { longestTaskMs: 50, p95PaintMs: 100, heapGrowthMb: 10, initialJsGzipBytes: 200 * 1024 };

const root = path.resolve(import.meta.dirname, '..');
const now = () => Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);
const levelKey = (productId: string, locationId: string) => `${productId}|${locationId}`;
const changeKey = (productId: string, locationId: string, onHand: number) => `${productId}|${locationId}|${onHand}`;

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted[sorted.length - 1] ?? NaN),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  progress(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// In the page (a string: the bench is type-checked without the DOM library). Times that are
// compared with commit times use Date.now(), the machine clock Postgres and Node read too; the
// others use performance.now(), whose origin is the navigation start.
// "Painted" is the end of the rendering task that first shows a change: a message posted from
// inside that task runs right after it. A change made during a frame's rendering steps is painted
// by that frame; one made in an ordinary task (React's commit after a react-query notification is
// one) is painted by the next frame, so the message is posted from that frame's rAF callback.
const PROBE = String.raw`(() => {
  const probe = { longtasks: [], frames: [], firstRow: null, recording: false, changes: [], sockets: [] };
  Object.defineProperty(window, '__uiBench', { value: probe });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}

  const afterThisTask = (fn) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); fn(); };
    channel.port2.postMessage(null);
  };
  let rendering = false;
  let nextFrame = [];
  const whenPainted = (fn) => { if (rendering) afterThisTask(fn); else nextFrame.push(fn); };
  const frame = (ts) => {
    probe.frames.push(ts);
    rendering = true;
    afterThisTask(() => { rendering = false; });
    if (nextFrame.length > 0) {
      const fns = nextFrame;
      nextFrame = [];
      afterThisTask(() => { for (const fn of fns) fn(); });
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  const ON_HAND = 'button[aria-label^="On hand at "]';
  new MutationObserver((records) => {
    if (!probe.firstRow && document.querySelector('tr[data-product-id]')) {
      const first = { seen: performance.now(), painted: null };
      probe.firstRow = first;
      whenPainted(() => { first.painted = performance.now(); });
    }
    if (!probe.recording) return;
    const mutated = Date.now();
    const seen = new Set();
    for (const record of records) {
      const element = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      const button = element && element.closest(ON_HAND);
      if (!button || seen.has(button)) continue;
      seen.add(button);
      const row = button.closest('tr[data-product-id]');
      const label = button.getAttribute('aria-label') || '';
      if (!row) continue;
      const change = {
        product: row.getAttribute('data-product-id'),
        location: label.slice('On hand at '.length, label.indexOf(':')),
        value: Number((button.textContent || '').replace(/\D/g, '')),
        mutated,
        painted: null,
      };
      probe.changes.push(change);
      whenPainted(() => { change.painted = Date.now(); });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });

  // Arrival time of every message on the Realtime sockets, in order; the bench reads the same
  // frames through Playwright and pairs them by position.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/realtime/v1/')) {
        const times = [];
        probe.sockets.push(times);
        this.addEventListener('message', () => times.push(Date.now()));
      }
    }
  };
})();`;

interface FirstPaint {
  first_row_ms: number;
  grid_painted_ms: number;
  first_contentful_paint_ms: number | null;
  dom_content_loaded_ms: number | null;
  snapshot_requests: number;
  snapshot_first_done_ms: number | null;
  snapshot_done_ms: number | null;
  locations_done_ms: number | null;
  rows_in_dom: number;
  long_tasks_before_paint: number;
  longest_task_before_paint_ms: number | null;
}

const READ_FIRST_PAINT = String.raw`(() => {
  const probe = window.__uiBench;
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const before = (e) => e.startTime < probe.firstRow.seen;
  const rest = (table) => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith('/rest/v1/' + table) && before(e));
  const done = (entries, pick) => entries.length ? pick(...entries.map((e) => e.responseEnd)) : null;
  const products = rest('products');
  const locations = rest('locations');
  const tasks = probe.longtasks.filter(([start]) => start < probe.firstRow.painted);
  return {
    first_row_ms: probe.firstRow.seen,
    grid_painted_ms: probe.firstRow.painted,
    first_contentful_paint_ms: fcp ? fcp.startTime : null,
    dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
    snapshot_requests: products.length,
    snapshot_first_done_ms: done(products, Math.min),
    snapshot_done_ms: done(products, Math.max),
    locations_done_ms: done(locations, Math.max),
    rows_in_dom: document.querySelectorAll('tr[data-product-id]').length,
    long_tasks_before_paint: tasks.length,
    longest_task_before_paint_ms: tasks.length ? Math.max(...tasks.map(([, d]) => d)) : null,
  };
})()`;

/** Product ids of the grid rows wholly in view (under the sticky header, inside the window). */
const READ_VISIBLE_ROWS = String.raw`(() => {
  const scroller = document.querySelector('[data-testid="stock-grid-scroller"]');
  const box = scroller.getBoundingClientRect();
  const top = scroller.querySelector('thead').getBoundingClientRect().bottom;
  const bottom = Math.min(box.bottom, window.innerHeight);
  return [...scroller.querySelectorAll('tr[data-product-id]')]
    .filter((row) => { const r = row.getBoundingClientRect(); return r.top >= top - 0.5 && r.bottom <= bottom + 0.5; })
    .map((row) => row.getAttribute('data-product-id'));
})()`;

interface PhaseRead {
  frames: number[];
  longtasks: Array<[number, number]>;
  changes: Array<{ product: string; location: string; value: number; mutated: number; painted: number | null }>;
  sockets: number[][];
}

/** The probe's records since `since` (performance.now()), emptied so they do not count as heap. */
const readPhase = (since: number) => `(() => {
  const probe = window.__uiBench;
  const out = {
    frames: probe.frames.filter((t) => t >= ${since}),
    longtasks: probe.longtasks.filter(([start]) => start >= ${since}),
    changes: probe.changes,
    sockets: probe.sockets.map((times) => times.slice()),
  };
  probe.frames.length = 0;
  probe.changes = [];
  return out;
})()`;

function mainThread(phase: string, read: PhaseRead, seconds: number) {
  const intervals = read.frames.slice(1).map((t, i) => t - read.frames[i]!);
  const median = percentile([...intervals].sort((a, b) => a - b), 50);
  const longest = read.longtasks.reduce((max, [, d]) => Math.max(max, d), 0);
  const dropped = intervals.filter((d) => d > 1.5 * median);
  return {
    bench: 'ui.main_thread',
    phase,
    seconds: round(seconds),
    long_tasks: read.longtasks.length,
    longest_task_ms: read.longtasks.length ? round(longest) : null,
    frames: read.frames.length,
    median_frame_ms: round(median),
    frames_dropped: dropped.length,
    // Frames that never came: each long interval stands for round(interval / median) - 1 of them.
    frames_missed_estimate: dropped.reduce((sum, d) => sum + Math.max(1, Math.round(d / median) - 1), 0),
    longest_frame_ms: round(Math.max(0, ...intervals)),
    target: 'no task over 50 ms',
    meets_target: read.longtasks.length === 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The baseline subscriber: plain supabase-js in a worker thread, signed in as the owner.
type ToWorker = { type: 'subscribe'; apiUrl: string; anonKey: string; email: string; topic: string } | { type: 'count' } | { type: 'collect' } | { type: 'close' };
type FromWorker =
  | { type: 'subscribed'; status: string }
  | { type: 'count'; received: number }
  | { type: 'results'; keys: string[]; times: number[] }
  | { type: 'closed' };

async function runSubscriber(): Promise<void> {
  const port = parentPort!;
  const keys: string[] = [];
  const times: number[] = [];
  let close = async () => {};
  const reply = (msg: FromWorker) => port.postMessage(msg);
  port.on('message', async (msg: ToWorker) => {
    if (msg.type === 'subscribe') {
      const client = benchClient({ apiUrl: msg.apiUrl }, msg.anonKey);
      const { data, error } = await client.auth.signInWithPassword({ email: msg.email, password: PASSWORD });
      if (error) return reply({ type: 'subscribed', status: `sign-in failed: ${error.message}` });
      await client.realtime.setAuth(data.session.access_token);
      const channel = client.channel(msg.topic, { config: { private: true } }).on('broadcast', { event: 'stock_level' }, ({ payload }) => {
        const at = now();
        const p = payload as { product_id: string; location_id: string; on_hand: number };
        keys.push(changeKey(p.product_id, p.location_id, p.on_hand));
        times.push(at);
      });
      close = async () => void (await client.removeChannel(channel));
      const status = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('TIMED_OUT'), 30_000);
        channel.subscribe((s, err) => {
          if (s === 'SUBSCRIBED' || s === 'CHANNEL_ERROR' || s === 'TIMED_OUT') {
            clearTimeout(timer);
            resolve(err ? `${s}: ${err.message}` : s);
          }
        });
      });
      reply({ type: 'subscribed', status });
    } else if (msg.type === 'count') {
      reply({ type: 'count', received: keys.length });
    } else if (msg.type === 'collect') {
      reply({ type: 'results', keys, times });
    } else {
      await close();
      reply({ type: 'closed' });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Seed, build, browser.
interface Level {
  productId: string;
  locationId: string;
  onHand: number;
  version: number;
  busy: boolean;
}

interface Seeded {
  vendorId: string;
  email: string;
  productIds: string[];
  locations: Array<{ id: string; name: string }>;
  levels: Map<string, Level>;
}

const SERVICE_ROLE = `select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;

/** stock_drift_report() as the service role (it reports nothing to a caller without one), for one vendor. */
async function driftOf(admin: pg.Pool, vendorId: string): Promise<unknown[]> {
  return inTransaction(admin, async (c) => {
    await c.query(SERVICE_ROLE);
    return (await c.query('select * from public.stock_drift_report() where vendor_id = $1', [vendorId])).rows;
  });
}

/**
 * A vendor whose owner signs up through Auth, 2 locations, PRODUCTS products (SKU order = grid
 * order) and a level per product and location: about 3% out of stock, 7% low, the rest 10–199.
 * Every non-zero level has one 'restock' movement of its quantity, so the ledger explains it.
 */
async function seed(admin: pg.Pool, stack: StackHandle): Promise<Seeded> {
  const started = now();
  const email = `bench-ui-${randomUUID().slice(0, 8)}@example.com`;
  const { data, error } = await benchClient(stack, stack.anonKey).auth.signUp({ email, password: PASSWORD });
  const userId = data.user?.id;
  if (error || !userId) throw new Error(`sign-up failed: ${error?.message}`);
  const vendorId = await inTransaction(admin, async (c) => {
    // Levels are written here in bulk, not through the RPCs; their broadcasts (3 per level) would
    // only load the stack's replication with messages nobody listens to yet. Off for this
    // transaction only: the DDL is transactional and no other session sees the trigger disabled.
    await c.query('alter table public.inventory_levels disable trigger inventory_levels_broadcast');
    const { rows: [vendor] } = await c.query<{ id: string }>(`insert into public.vendors (name) values ('Bench Supplies') returning id`);
    const id = vendor!.id;
    await c.query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')`, [id, userId]);
    await c.query(`insert into public.locations (vendor_id, name) select $1, unnest($2::text[])`, [id, LOCATIONS]);
    await c.query(
      `insert into public.products (vendor_id, sku, name, description, price, low_stock_threshold)
       select $1, 'BENCH-' || lpad(n::text, 5, '0'), 'Bench product ' || lpad(n::text, 5, '0'), 'Seeded by bench/ui.ts.', 5 + (n % 50), 5
       from generate_series(1, $2::int) n`,
      [id, PRODUCTS],
    );
    await c.query(
      `insert into public.inventory_levels (product_id, location_id, vendor_id, on_hand)
       select p.id, l.id, $1,
              case when n % 29 = 0 then 0 when n % 13 = 0 then 1 + (n + j) % 2 else 10 + (n * 37 + j * 11) % 190 end
       from (select id, substring(sku from 7)::int as n from public.products where vendor_id = $1) p
       cross join (select id, row_number() over (order by name) as j from public.locations where vendor_id = $1) l`,
      [id],
    );
    await c.query(
      `insert into public.stock_movements (vendor_id, product_id, location_id, kind, on_hand_delta, reason, actor_role, level_version)
       select vendor_id, product_id, location_id, 'restock', on_hand, 'bench seed', 'postgres', version
       from public.inventory_levels where vendor_id = $1 and on_hand > 0`,
      [id],
    );
    await c.query('alter table public.inventory_levels enable trigger inventory_levels_broadcast');
    return id;
  });
  // Fresh statistics, as autovacuum gathers within a minute or so of a bulk load: without them the
  // planner takes the vendor for a few dozen rows and reads each page of the grid's snapshot in a
  // plan fit for that (every level of the vendor scanned once per product).
  await admin.query('analyze public.products, public.locations, public.inventory_levels, public.stock_movements');
  const { rows: products } = await admin.query<{ id: string }>(`select id from public.products where vendor_id = $1 order by sku, id`, [vendorId]);
  const { rows: locations } = await admin.query<{ id: string; name: string }>(`select id, name from public.locations where vendor_id = $1 order by name`, [vendorId]);
  const { rows: levelRows } = await admin.query<{ product_id: string; location_id: string; on_hand: number; version: string }>(
    `select product_id, location_id, on_hand, version from public.inventory_levels where vendor_id = $1`,
    [vendorId],
  );
  const { rows: [movements] } = await admin.query<{ n: number }>(`select count(*)::int as n from public.stock_movements where vendor_id = $1`, [vendorId]);
  const levels = new Map<string, Level>();
  for (const l of levelRows) levels.set(levelKey(l.product_id, l.location_id), { productId: l.product_id, locationId: l.location_id, onHand: l.on_hand, version: Number(l.version), busy: false });
  const drift = await driftOf(admin, vendorId);
  emit({
    bench: 'ui.seed',
    products: products.length,
    locations: locations.length,
    levels: levels.size,
    movements: movements!.n,
    seconds: round((now() - started) / 1000),
    stock_drift_report_rows: drift.length,
    stock_drift_report: drift.slice(0, 5),
  });
  return { vendorId, email, productIds: products.map((p) => p.id), locations, levels };
}

/** The SPA built for this stack and served by `vite preview`, with each chunk's modules. */
async function serveSpa(stack: StackHandle, dir: string) {
  // Vite inlines VITE_* variables from the environment into the build.
  process.env.VITE_SUPABASE_URL = stack.apiUrl;
  process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
  const outDir = path.join(dir, 'dist');
  const configFile = path.join(root, 'vite.config.ts');
  const result = await build({ root, configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: !process.env.BENCH_UI_NO_MINIFY } });
  const modules = new Map<string, string[]>();
  for (const output of Array.isArray(result) ? result : 'output' in result ? [result] : []) {
    for (const item of output.output) if (item.type === 'chunk') modules.set(item.fileName, item.moduleIds);
  }
  const server = await preview({ root, configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
  const baseUrl = server.resolvedUrls?.local[0];
  if (!baseUrl) throw new Error('vite preview did not report its URL');
  return { outDir, modules, baseUrl, close: () => server.close() };
}

type Spa = Awaited<ReturnType<typeof serveSpa>>;

/** The gzip size (zlib's default level) of the JS files a route loaded, and whether recharts is among their modules. */
async function initialJs(spa: Spa, route: string, files: string[]) {
  let raw = 0;
  let gzip = 0;
  let recharts = false;
  const sizes: Record<string, number> = {};
  for (const file of files) {
    const bytes = await fs.readFile(path.join(spa.outDir, file));
    raw += bytes.length;
    sizes[file] = gzipSync(bytes).length;
    gzip += sizes[file];
    recharts ||= (spa.modules.get(file) ?? []).some((id) => id.includes('/node_modules/recharts/'));
  }
  const rechartsInBuild = [...spa.modules.values()].some((ids) => ids.some((id) => id.includes('/node_modules/recharts/')));
  emit({
    bench: 'ui.initial_js',
    route,
    files: files.length,
    raw_bytes: raw,
    gzip_bytes: gzip,
    recharts,
    recharts_in_build: rechartsInBuild,
    target: 'gzip ≤ 200 KB (204800 bytes), recharts never in the initial bundle',
    meets_target: gzip <= TARGETS.initialJsGzipBytes && !recharts,
    gzip_bytes_by_file: sizes,
  });
}

/** The JS files of the SPA a page loads (paths relative to dist/). */
function watchScripts(page: Page, baseUrl: string): Set<string> {
  const files = new Set<string>();
  page.on('response', (response) => {
    const url = response.url();
    if (url.startsWith(baseUrl) && new URL(url).pathname.endsWith('.js')) files.add(new URL(url).pathname.replace(/^\//, ''));
  });
  return files;
}

/** Requests to the REST API in flight, and when the last one started or ended. */
function watchRest(page: Page) {
  const state = { inFlight: 0, lastChange: now() };
  const isRest = (url: string) => url.includes('/rest/v1/');
  page.on('request', (r) => {
    if (!isRest(r.url())) return;
    state.inFlight++;
    state.lastChange = now();
  });
  const done = (r: { url(): string }) => {
    if (!isRest(r.url())) return;
    state.inFlight--;
    state.lastChange = now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return state;
}

/** The `(product, location, on_hand)` of a `stock_level` broadcast frame, else null (vsn 2.0.0 binary or JSON frames). */
function stockLevelKey(frame: string | Buffer): string | null {
  let payload: { product_id?: string; location_id?: string; on_hand?: number } | undefined;
  if (Buffer.isBuffer(frame)) {
    if (frame[0] !== 4 || frame.length < 5) return null;
    const [topicLength, eventLength, metaLength] = [frame[1]!, frame[2]!, frame[3]!];
    const event = frame.subarray(5 + topicLength, 5 + topicLength + eventLength).toString('utf8');
    if (event !== 'stock_level') return null;
    payload = JSON.parse(frame.subarray(5 + topicLength + eventLength + metaLength).toString('utf8'));
  } else {
    const message = JSON.parse(frame) as unknown[];
    const body = message[4] as { event?: string; payload?: typeof payload } | undefined;
    if (message[3] !== 'broadcast' || body?.event !== 'stock_level') return null;
    payload = body.payload;
  }
  if (!payload?.product_id || !payload.location_id || typeof payload.on_hand !== 'number') return null;
  return changeKey(payload.product_id, payload.location_id, payload.on_hand);
}

/** Every frame the page's Realtime sockets received, in order, as stock-level keys (null for other frames). */
function watchSockets(page: Page, topic: string) {
  const sockets: Array<{ keys: Array<string | null>; joined: boolean }> = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/realtime/v1/')) return;
    const socket = { keys: [] as Array<string | null>, joined: false };
    sockets.push(socket);
    ws.on('framereceived', ({ payload }) => {
      socket.keys.push(stockLevelKey(payload));
      if (typeof payload === 'string' && payload.includes('phx_reply') && payload.includes(`"realtime:${topic}"`) && payload.includes('"ok"')) socket.joined = true;
    });
  });
  return sockets;
}

/**
 * The grid's snapshot read by supabase-js in Node as the owner, with the requests the page makes
 * (src/features/inventory/api/get-stock.ts): locations and the first page of 1000 products with
 * their levels and the count, then the other pages in parallel. Milliseconds to the first page and to all.
 */
async function readSnapshotInNode(stack: StackHandle, email: string, vendorId: string) {
  const client = benchClient(stack, stack.anonKey);
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  const page = (n: number, count: boolean) =>
    client
      .from('products')
      .select('id, sku, name, description, price, low_stock_threshold, active, updated_at, inventory_levels(location_id, on_hand, reserved, available, version, updated_at)', count ? { count: 'exact' } : undefined)
      .eq('vendor_id', vendorId)
      .order('sku')
      .order('id')
      .range(n * 1000, (n + 1) * 1000 - 1);
  const started = performance.now();
  const [locations, first] = await Promise.all([client.from('locations').select('id, name').eq('vendor_id', vendorId).order('name').order('id'), page(0, true)]);
  const firstMs = performance.now() - started;
  const pages = Math.ceil((first.count ?? 0) / 1000);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => page(i + 1, false)));
  const rows = [first, ...rest].reduce((sum, r) => sum + (r.data?.length ?? 0), 0);
  const failed = [locations, first, ...rest].find((r) => r.error)?.error;
  if (failed) throw new Error(`snapshot read failed: ${failed.message}`);
  return { pages, rows, first_page_ms: round(firstMs), done_ms: round(performance.now() - started) };
}

async function openInventory(browser: Browser, spa: Spa, storageState: Awaited<ReturnType<BrowserContext['storageState']>>, topic: string) {
  const context = await browser.newContext({ baseURL: spa.baseUrl, viewport: VIEWPORT, storageState });
  await context.addInitScript({ content: PROBE });
  const page = await context.newPage();
  const scripts = watchScripts(page, spa.baseUrl);
  const rest = watchRest(page);
  const sockets = watchSockets(page, topic);
  await page.goto('/inventory', { waitUntil: 'commit' });
  await page.waitForFunction('window.__uiBench.firstRow && window.__uiBench.firstRow.painted !== null', null, { timeout: WAIT_MS });
  const firstPaint = (await page.evaluate(READ_FIRST_PAINT)) as FirstPaint;
  // The initial JS is what the first grid paint needed; chunks fetched ahead afterwards (dialogs) are not.
  const initialScripts = [...scripts];
  // Settled: the stock channel joined (which reads the snapshot again) and the REST API quiet for 2 s.
  await until('the stock channel to join and the page to settle', () => sockets.some((s) => s.joined) && rest.inFlight === 0 && now() - rest.lastChange > 2000);
  return { context, page, scripts: initialScripts, sockets, firstPaint };
}

// ---------------------------------------------------------------------------------------------
// Main.
interface Commit {
  key: string;
  productId: string;
  locationId: string;
  visible: boolean;
  /** clock_timestamp() in the writing transaction right after the RPC returned, in ms since the epoch. */
  at: number;
}

async function writeChanges(writers: pg.Pool, visible: Level[], offscreen: Level[]) {
  const commits: Commit[] = [];
  const failures: string[] = [];
  let skipped = 0;
  let inFlight = 0;
  const cursors = { visible: 0, offscreen: 0 };
  const pick = (group: Level[], cursor: 'visible' | 'offscreen') => {
    for (let tries = 0; tries < group.length; tries++) {
      const level = group[cursors[cursor]++ % group.length]!;
      if (!level.busy) return level;
    }
    return undefined;
  };
  const change = async (seq: number, level: Level, visibleRow: boolean) => {
    level.busy = true;
    inFlight++;
    // Distinct values per cell: every change raises the level by 1 to 3.
    const target = level.onHand + 1 + (seq % 3);
    try {
      const row = await inTransaction(writers, async (c) => {
        await c.query(SERVICE_ROLE);
        const key = `bench-ui-${randomUUID()}`;
        const select = 'select l.on_hand, l.version::int as version, (extract(epoch from clock_timestamp()) * 1000)::float8 as at';
        const { rows } =
          seq % 4 < 2
            ? await c.query<{ on_hand: number; version: number; at: number }>(
                `${select} from public.set_stock(product_id => $1, location_id => $2, on_hand => $3, expected_version => $4, idempotency_key => $5) l`,
                [level.productId, level.locationId, target, level.version, key],
              )
            : await c.query<{ on_hand: number; version: number; at: number }>(
                `${select} from public.adjust_stock(product_id => $1, location_id => $2, delta => $3, reason => 'bench ui', idempotency_key => $4) l`,
                [level.productId, level.locationId, target - level.onHand, key],
              );
        return rows[0]!;
      });
      level.onHand = row.on_hand;
      level.version = row.version;
      commits.push({ key: changeKey(level.productId, level.locationId, row.on_hand), productId: level.productId, locationId: level.locationId, visible: visibleRow, at: row.at });
    } catch (err) {
      failures.push((err as Error).message);
    } finally {
      level.busy = false;
      inFlight--;
    }
  };

  const total = Math.round(RATE * SECONDS);
  const started = now();
  const deadline = started + SECONDS * 1000 + 5000;
  const pending: Promise<void>[] = [];
  for (let seq = 0; seq < total && now() < deadline; seq++) {
    const wait = started + (seq * 1000) / RATE - now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT && now() < deadline) await sleep(1);
    const onVisibleRow = Math.floor((seq + 1) * VISIBLE_SHARE) > Math.floor(seq * VISIBLE_SHARE);
    const level = onVisibleRow ? pick(visible, 'visible') : pick(offscreen, 'offscreen');
    if (!level) {
      skipped++;
      continue;
    }
    pending.push(change(seq, level, onVisibleRow));
  }
  await Promise.all(pending);
  return { commits, failures, skipped, seconds: (now() - started) / 1000, attempted: pending.length + skipped };
}

async function runMain(): Promise<void> {
  const workDir = await tempDataDir('bench-ui');
  const stack = await benchStackProcess();
  progress(`stack at ${stack.apiUrl}`);
  const admin = new pg.Pool({ connectionString: stack.dbUrl, max: 4 });
  const writers = new pg.Pool({ connectionString: stack.dbUrl, max: MAX_IN_FLIGHT });
  admin.on('error', () => undefined);
  writers.on('error', () => undefined);
  const subscriber = new BenchWorker<ToWorker, FromWorker>(import.meta.url, { subscriber: true });
  let spa: Spa | undefined;
  let browser: Browser | undefined;
  try {
    progress(`seeding ${PRODUCTS} products × ${LOCATIONS.length} locations`);
    const seeded = await seed(admin, stack);
    const topic = `vendor:${seeded.vendorId}:stock`;

    progress('building the SPA');
    spa = await serveSpa(stack, workDir);
    progress(`SPA at ${spa.baseUrl}`);
    const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'];
    browser = await chromium.launch(useSystemChromium ? { executablePath: SYSTEM_CHROMIUM, args } : { args });
    progress(`browser: ${useSystemChromium ? SYSTEM_CHROMIUM : "Playwright's Chromium"} ${browser.version()}`);

    // Initial JS of the shop, signed out, in a fresh context (empty cache).
    {
      const context = await browser.newContext({ baseURL: spa.baseUrl, viewport: VIEWPORT });
      const page = await context.newPage();
      const scripts = watchScripts(page, spa.baseUrl);
      await page.goto('/shop', { waitUntil: 'networkidle', timeout: WAIT_MS });
      await initialJs(spa, '/shop', [...scripts].sort());
      await context.close();
    }

    // The owner's session, reused by every load of /inventory; each load gets a fresh context (empty cache).
    const setup = await browser.newContext({ baseURL: spa.baseUrl, viewport: VIEWPORT });
    const signInPage = await setup.newPage();
    await signInPage.goto('/sign-in');
    await signInPage.getByLabel('Email address').fill(seeded.email);
    await signInPage.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await signInPage.getByRole('button', { name: 'Sign in' }).click();
    await signInPage.waitForURL(/\/inventory/, { timeout: WAIT_MS });
    const storageState = await setup.storageState();
    await setup.close();

    let opened: Awaited<ReturnType<typeof openInventory>> | undefined;
    for (let load = 1; load <= LOADS; load++) {
      await opened?.context.close();
      emit({ bench: 'ui.snapshot_read', client: 'node supabase-js (baseline)', load, ...(await readSnapshotInNode(stack, seeded.email, seeded.vendorId)) });
      progress(`loading /inventory (${load} of ${LOADS})`);
      opened = await openInventory(browser, spa, storageState, topic);
      const f = opened.firstPaint;
      emit({
        bench: 'ui.first_grid_paint',
        load,
        cache: 'empty',
        products: PRODUCTS,
        navigation_to_grid_paint_ms: round(f.grid_painted_ms),
        first_row_in_dom_ms: round(f.first_row_ms),
        first_contentful_paint_ms: round(f.first_contentful_paint_ms ?? NaN),
        dom_content_loaded_ms: round(f.dom_content_loaded_ms ?? NaN),
        snapshot_requests: f.snapshot_requests,
        snapshot_first_page_done_ms: round(f.snapshot_first_done_ms ?? NaN),
        snapshot_done_ms: round(f.snapshot_done_ms ?? NaN),
        locations_done_ms: round(f.locations_done_ms ?? NaN),
        rows_in_dom: f.rows_in_dom,
        long_tasks_before_paint: f.long_tasks_before_paint,
        longest_task_before_paint_ms: round(f.longest_task_before_paint_ms ?? NaN),
      });
      if (load === 1) await initialJs(spa, '/inventory', [...opened.scripts].sort());
    }
    const { page, sockets } = opened!;

    const subscribed = await subscriber.ask<Extract<FromWorker, { type: 'subscribed' }>>({ type: 'subscribe', apiUrl: stack.apiUrl, anonKey: stack.anonKey, email: seeded.email, topic });
    if (subscribed.status !== 'SUBSCRIBED') throw new Error(`the baseline subscriber could not join ${topic}: ${subscribed.status}`);

    // Rows in view, and levels far below the fold (never rendered: the grid is virtualised).
    const visibleIds = (await page.evaluate(READ_VISIBLE_ROWS)) as string[];
    const locationName = new Map(seeded.locations.map((l) => [l.name, l.id]));
    const levelsOf = (ids: string[]) => ids.flatMap((id) => seeded.locations.map((l) => seeded.levels.get(levelKey(id, l.id))!));
    const farFrom = Math.max(visibleIds.length + 100, Math.floor(PRODUCTS / 2));
    const visible = levelsOf(visibleIds);
    const offscreen = levelsOf(seeded.productIds.slice(farFrom, farFrom + 500));
    progress(`${visibleIds.length} rows in view (${visible.length} levels); ${offscreen.length} levels off screen`);

    // Baseline: the same page, idle.
    let since = (await page.evaluate('performance.now()')) as number;
    progress(`idle for ${IDLE_SECONDS} s`);
    await sleep(IDLE_SECONDS * 1000);
    const idle = (await page.evaluate(readPhase(since))) as PhaseRead;
    emit(mainThread('idle (baseline)', idle, IDLE_SECONDS));

    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const heapBefore = await heap();

    since = (await page.evaluate('window.__uiBench.recording = true; performance.now()')) as number;
    const eventsStarted = now();
    progress(`writing ${RATE} changes/s for ${SECONDS} s`);
    if (TRACE_FILE) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] });
    const written = await writeChanges(writers, visible, offscreen);
    if (TRACE_FILE) await fs.writeFile(TRACE_FILE, await browser.stopTracing());
    const committed = new Set(written.commits.map((c) => c.key));
    const seenByPage = () => new Set(sockets.flatMap((s) => s.keys).filter((k): k is string => k !== null && committed.has(k))).size;
    await until(
      'every committed change to reach the page and the Node subscriber',
      async () => seenByPage() >= committed.size && (await subscriber.ask<Extract<FromWorker, { type: 'count' }>>({ type: 'count' })).received >= committed.size,
      DRAIN_SECONDS * 1000,
    );
    await sleep(500); // the last frames' paint callbacks
    const events = (await page.evaluate(`window.__uiBench.recording = false; ${readPhase(since)}`)) as PhaseRead;
    const eventSeconds = (now() - eventsStarted) / 1000;
    const heapAfter = await heap();
    const node = await subscriber.ask<Extract<FromWorker, { type: 'results' }>>({ type: 'collect' });

    // Delivery and paint times by change.
    const nodeAt = new Map<string, number>();
    node.keys.forEach((k, i) => nodeAt.has(k) || nodeAt.set(k, node.times[i]!));
    const pageAt = new Map<string, number>();
    sockets.forEach((socket, s) => {
      const times = events.sockets[s] ?? [];
      if (times.length !== socket.keys.length) progress(`socket ${s}: ${times.length} arrival times for ${socket.keys.length} frames; pairing the first ${Math.min(times.length, socket.keys.length)}`);
      socket.keys.forEach((k, i) => k && i < times.length && !pageAt.has(k) && pageAt.set(k, times[i]!));
    });
    const paintedAt = new Map<string, number>();
    for (const c of events.changes) {
      const locationId = locationName.get(c.location);
      if (locationId && c.painted !== null) {
        const key = changeKey(c.product, locationId, c.value);
        if (!paintedAt.has(key)) paintedAt.set(key, c.painted);
      }
    }
    const latencies = (commits: Commit[], at: Map<string, number>) => commits.flatMap((c) => (at.has(c.key) ? [at.get(c.key)! - c.at] : []));
    const visibleCommits = written.commits.filter((c) => c.visible);
    const browserCost = visibleCommits.flatMap((c) => (paintedAt.has(c.key) && nodeAt.has(c.key) ? [paintedAt.get(c.key)! - nodeAt.get(c.key)!] : []));
    const pageKeys = new Set(sockets.flatMap((s) => s.keys));
    const paint = summary(latencies(visibleCommits, paintedAt));

    emit({
      bench: 'ui.events',
      rate_per_second: RATE,
      achieved_rate: round(written.commits.length / written.seconds, 1),
      seconds: round(written.seconds),
      attempted: written.attempted,
      committed: written.commits.length,
      committed_on_visible_rows: visibleCommits.length,
      rows_in_view: visibleIds.length,
      levels_in_view: visible.length,
      levels_off_screen: offscreen.length,
      failed: written.failures.length,
      first_failure: written.failures[0] ?? null,
      skipped_busy_levels: written.skipped,
      delivered_to_page: written.commits.filter((c) => pageKeys.has(c.key)).length,
      delivered_to_node: written.commits.filter((c) => nodeAt.has(c.key)).length,
      painted_on_visible_rows: visibleCommits.filter((c) => paintedAt.has(c.key)).length,
      // A change followed by a newer one of the same cell within one frame is never on screen.
      not_painted_on_visible_rows: visibleCommits.filter((c) => !paintedAt.has(c.key)).length,
      stock_drift_report_rows: (await driftOf(admin, seeded.vendorId)).length,
    });
    emit({ bench: 'ui.commit_to_paint', scope: 'visible rows', ...paint, target: 'p95 ≤ 100 ms', meets_target: paint.p95_ms !== null && paint.p95_ms <= TARGETS.p95PaintMs });
    emit({ bench: 'ui.commit_to_delivery', client: 'node supabase-js (baseline)', scope: 'visible rows', ...summary(latencies(visibleCommits, nodeAt)) });
    emit({ bench: 'ui.commit_to_delivery', client: 'node supabase-js (baseline)', scope: 'all', ...summary(latencies(written.commits, nodeAt)) });
    emit({ bench: 'ui.commit_to_delivery', client: 'chromium page socket', scope: 'all', ...summary(latencies(written.commits, pageAt)) });
    emit({ bench: 'ui.browser_cost', what: 'paint time minus Node delivery time of the same change', scope: 'visible rows', ...summary(browserCost) });
    emit(mainThread('events', events, eventSeconds));
    const growthMb = (heapAfter - heapBefore) / 2 ** 20;
    emit({ bench: 'ui.heap', before_mb: round(heapBefore / 2 ** 20), after_mb: round(heapAfter / 2 ** 20), growth_mb: round(growthMb), target: 'growth ≤ 10 MB', meets_target: growthMb <= TARGETS.heapGrowthMb });
    await opened!.context.close();
  } finally {
    await subscriber.ask({ type: 'close' }).catch(() => undefined);
    await subscriber.terminate();
    await browser?.close();
    await spa?.close();
    await writers.end();
    await admin.end();
    await stack.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

if (isMainThread) await runMain();
else if ((workerData as { subscriber?: boolean } | null)?.subscriber) await runSubscriber();
