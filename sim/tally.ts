/** The RPC intents the simulator makes. */
export const OPERATIONS = ['reserve', 'release', 'checkout', 'adjust', 'count'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * Refusals a correct client meets under concurrent traffic: someone else took the stock, the
 * level changed since it was read, a hold ran out. `product_not_found` on reserve means a vendor
 * deactivated the product after the simulator read the catalog (it then drops it).
 */
const EXPECTED: Record<Operation, readonly string[]> = {
  reserve: ['insufficient_stock', 'product_not_found'],
  release: ['reservation_expired', 'reservation_not_active'],
  checkout: ['reservation_expired', 'reservation_not_active'],
  adjust: ['insufficient_stock'],
  count: ['insufficient_stock', 'version_conflict'],
};

export function isExpected(op: Operation, code: string): boolean {
  return EXPECTED[op].includes(code);
}

export interface Unexpected {
  /** The RPC, or `other`: a read the simulator needed, or an error of the simulator itself. */
  op: Operation | 'other';
  status: number;
  code: string;
  message: string;
}

export interface SimSummary {
  elapsed_s: number;
  /** Stock RPC intents finished (each counted once, whatever its retries). */
  ops: number;
  ops_per_s: number;
  /** Per operation, per outcome: `ok` or the error code. */
  outcomes: Record<Operation, Record<string, number>>;
  /** Refusals listed as expected (409s), by code. */
  expected: Record<string, number>;
  /** Holds the simulator let run out, seen expired by the server. */
  expired: number;
  /** Active holds of the simulator's shoppers now. */
  holding: number;
  /** 429s: the call waited for Retry-After and went again with the same idempotency key. */
  rate_limited: number;
  /** Calls sent again with the same idempotency key after a network error or a 502/503/504. */
  network_retries: number;
  /** Errors that are not an expected refusal: any 5xx, any other 4xx, a network error that outlasted the retries. */
  unexpected: number;
  /** Rows seen that break a stock invariant (on_hand < 0, reserved > on_hand, ...): an oversell. */
  oversell: number;
  /** Ticks skipped because every idle account was at its pace. */
  throttled: number;
  /** The last few unexpected errors. */
  unexpected_samples: Unexpected[];
}

export class Tally {
  private started = performance.now();
  readonly outcomes = Object.fromEntries(OPERATIONS.map((op) => [op, {} as Record<string, number>])) as Record<Operation, Record<string, number>>;
  expired = 0;
  rateLimited = 0;
  networkRetries = 0;
  oversell = 0;
  throttled = 0;
  private unexpected = 0;
  private readonly samples: Unexpected[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Starts the clock that rates are measured over (when the traffic starts). */
  begin(): void {
    this.started = performance.now();
  }

  outcome(op: Operation, code: string): void {
    this.outcomes[op][code] = (this.outcomes[op][code] ?? 0) + 1;
  }

  failure(op: Operation, status: number, code: string, message: string): void {
    this.outcome(op, code || `http_${status}`);
    if (!isExpected(op, code)) this.report({ op, status, code, message });
  }

  private report(error: Unexpected): void {
    this.unexpected++;
    this.samples.push(error);
    if (this.samples.length > 5) this.samples.shift();
    // Loud, but bounded: every one of the first 20, then one in 100.
    if (this.unexpected <= 20 || this.unexpected % 100 === 0) {
      this.log(`UNEXPECTED #${this.unexpected}: ${error.op} -> ${error.status || 'network'} ${error.code || '-'}: ${error.message}`);
    }
  }

  /** A read that failed, or an error of the simulator itself: never expected. */
  otherFailure(what: string, status: number, message: string): void {
    this.report({ op: 'other', status, code: '', message: `${what}: ${message}` });
  }

  violation(what: string): void {
    this.oversell++;
    if (this.oversell <= 20 || this.oversell % 100 === 0) this.log(`OVERSELL #${this.oversell}: ${what}`);
  }

  summary(holding: number): SimSummary {
    const elapsed = (performance.now() - this.started) / 1000;
    const expected: Record<string, number> = {};
    let ops = 0;
    for (const op of OPERATIONS) {
      for (const [code, n] of Object.entries(this.outcomes[op])) {
        ops += n;
        if (isExpected(op, code)) expected[code] = (expected[code] ?? 0) + n;
      }
    }
    return {
      elapsed_s: round(elapsed),
      ops,
      ops_per_s: round(ops / Math.max(elapsed, 0.001)),
      outcomes: structuredClone(this.outcomes),
      expected,
      expired: this.expired,
      holding,
      rate_limited: this.rateLimited,
      network_retries: this.networkRetries,
      unexpected: this.unexpected,
      oversell: this.oversell,
      throttled: this.throttled,
      unexpected_samples: [...this.samples],
    };
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One short line for a terminal: `sim · 30 s · 58 ops (1.9/s) · reserve 24 · ... · unexpected 0`. */
export function formatSummary(s: SimSummary): string {
  const ok = (op: Operation) => s.outcomes[op].ok ?? 0;
  const refusals = Object.entries(s.expected).sort(([a], [b]) => a.localeCompare(b));
  const refused = refusals.reduce((sum, [, n]) => sum + n, 0);
  return [
    `${Math.round(s.elapsed_s)} s`,
    `${s.ops} ops (${s.ops_per_s}/s)`,
    `reserved ${ok('reserve')}, released ${ok('release')}, checked out ${ok('checkout')}, expired ${s.expired}, holding ${s.holding}`,
    `adjusted ${ok('adjust')}, counted ${ok('count')}`,
    `refused ${refused}${refused ? ` (${refusals.map(([code, n]) => `${code} ${n}`).join(', ')})` : ''}`,
    ...(s.rate_limited ? [`429s ${s.rate_limited}`] : []),
    `unexpected ${s.unexpected}`,
    ...(s.oversell ? [`OVERSELL ${s.oversell}`] : []),
  ].join(' · ');
}
