/**
 * A client-side copy of the server's per-user limit (GCRA, as `private.check_rate_limit` does):
 * an account sends a stock RPC only when this lets it, so the server's 429 stays the exception.
 * It runs a little slower than the server and keeps a margin off the burst, so that requests
 * reaching the server later than they were counted here still fit.
 */
export class Pacer {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private tat = 0;
  private blockedUntil = 0;

  constructor(perPeriod: number, periodSeconds: number, burst: number) {
    this.intervalMs = (periodSeconds * 1000 * 1.05) / perPeriod;
    this.toleranceMs = Math.max(0, burst - 1) * this.intervalMs;
  }

  /** The server's limit of `max` requests per `periodSeconds`, with a margin. */
  static forServerLimit(max: number, periodSeconds: number): Pacer {
    return new Pacer(max, periodSeconds, Math.max(1, Math.min(max - 10, Math.floor(max * 0.8))));
  }

  /** Takes one slot when the pace allows it now. */
  tryTake(now = Date.now()): boolean {
    if (now < this.blockedUntil) return false;
    const tat = Math.max(this.tat, now);
    if (tat - now > this.toleranceMs) return false;
    this.tat = tat + this.intervalMs;
    return true;
  }

  /** Whether tryTake would succeed now, without taking. */
  ready(now = Date.now()): boolean {
    return now >= this.blockedUntil && Math.max(this.tat, now) - now <= this.toleranceMs;
  }

  /** After a 429: nothing until the server's Retry-After has passed. */
  blockFor(ms: number, now = Date.now()): void {
    this.blockedUntil = Math.max(this.blockedUntil, now + ms);
  }
}
