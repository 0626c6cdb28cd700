// npm run sim: traffic against any Supabase project with this schema, through supabase-js as real
// users. One JSON line per summary on stdout; progress and warnings on stderr. Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { DEFAULT_ANON_KEY } from '../stack/config.ts';
import { DEFAULT_VENDOR_PASSWORD, DEMO_VENDOR_LOGINS, shoppersFor, simOptions, startSimulator, type Simulator } from './simulator.ts';
import type { SimSummary } from './tally.ts';

const log = (line: string) => console.error(`sim: ${line}`);
const defaults = simOptions({ url: 'http://127.0.0.1:54321', anonKey: DEFAULT_ANON_KEY, log });

const usage = `npm run sim -- [options]

  --url <url>               API URL (default ${defaults.url}, the local stack)
  --anon-key <key>          anon key (default: the local stack's)
  --rate <n>                stock RPCs per second, all accounts together (default ${defaults.rate})
  --duration <s>            stop after this many seconds (default: run until Ctrl-C)
  --vendor <id>             a vendor to work on, repeatable (default: every vendor of the vendor logins)
  --vendor-email <email>    a vendor login, repeatable (default ${DEMO_VENDOR_LOGINS.join(', ')})
  --vendor-password <pw>    their password (default ${DEFAULT_VENDOR_PASSWORD}; env SIM_VENDOR_PASSWORD)
  --vendor-ops <n>          stock changes per minute at most per vendor login and vendor (default ${defaults.vendorOpsPerMinute})
  --shoppers <n>            shopper accounts (default max(8, 1.5 × rate))
  --shopper-prefix <p>      shopper emails are <p>.<n>@example.com (default ${defaults.shopperPrefix})
  --shopper-password <pw>   their password, for sign-in and first sign-up (default ${defaults.shopperPassword}; env SIM_SHOPPER_PASSWORD)
  --summary-every <s>       seconds between summary lines (default ${defaults.summaryEverySeconds})
  --help

Exits 1 when it saw an unexpected error or an oversell, else 0.`;

function fail(message: string): never {
  console.error(`sim: ${message}\n\n${usage}`);
  process.exit(2);
}

function positive(name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) fail(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  return value;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      url: { type: 'string' },
      'anon-key': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      vendor: { type: 'string', multiple: true },
      'vendor-email': { type: 'string', multiple: true },
      'vendor-password': { type: 'string' },
      'vendor-ops': { type: 'string' },
      shoppers: { type: 'string' },
      'shopper-prefix': { type: 'string' },
      'shopper-password': { type: 'string' },
      'summary-every': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}

const rate = positive('rate', args.rate, defaults.rate);
const duration = args.duration === undefined ? undefined : positive('duration', args.duration, 0);
const vendorPassword = args['vendor-password'] ?? process.env.SIM_VENDOR_PASSWORD ?? DEFAULT_VENDOR_PASSWORD;
const emit = (type: 'summary' | 'final', summary: SimSummary) => console.log(JSON.stringify({ type, at: new Date().toISOString(), ...summary }));

let sim: Simulator;
try {
  sim = await startSimulator({
    ...defaults,
    url: args.url ?? defaults.url,
    anonKey: args['anon-key'] ?? defaults.anonKey,
    rate,
    vendorIds: args.vendor,
    vendorLogins: (args['vendor-email'] ?? DEMO_VENDOR_LOGINS).map((email) => ({ email, password: vendorPassword })),
    shoppers: positive('shoppers', args.shoppers, shoppersFor(rate), true),
    shopperPrefix: args['shopper-prefix'] ?? defaults.shopperPrefix,
    shopperPassword: args['shopper-password'] ?? process.env.SIM_SHOPPER_PASSWORD ?? defaults.shopperPassword,
    vendorOpsPerMinute: positive('vendor-ops', args['vendor-ops'], defaults.vendorOpsPerMinute),
    summaryEverySeconds: positive('summary-every', args['summary-every'], defaults.summaryEverySeconds),
    onSummary: (summary) => emit('summary', summary),
  });
} catch (err) {
  log(`could not start: ${(err as Error).message}`);
  process.exit(1);
}
log(`${sim.shoppers} shoppers and ${sim.desks.length} vendor desks (${sim.desks.map((d) => d.email).join(', ') || 'none'}) on ${sim.vendorIds.length} vendors, ${rate} stock RPCs/s${duration ? ` for ${duration} s` : ''}; Ctrl-C stops`);

let stoppingSince: number | undefined;
async function finish(reason: string): Promise<void> {
  if (stoppingSince !== undefined) {
    // Under npm and tsx one Ctrl-C can arrive twice (relayed by the parent); a later one means: do not wait.
    if (Date.now() - stoppingSince < 500) return;
    log(`${reason} again: exiting without waiting`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  log(`${reason}: stopping`);
  const summary = await sim.stop();
  emit('final', summary);
  process.exit(summary.unexpected > 0 || summary.oversell > 0 ? 1 : 0);
}
process.on('SIGINT', () => void finish('SIGINT'));
process.on('SIGTERM', () => void finish('SIGTERM'));
if (duration) setTimeout(() => void finish(`${duration} s passed`), duration * 1000);
