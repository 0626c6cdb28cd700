// GoTrue's per-IP rate limits (internal/api/apilimiter): token buckets of 30 that refill at the
// configured number per 5 minutes, one bucket per client address and limit. The numbers come from
// `[auth.rate_limit]` of supabase/config.toml, as the Supabase CLI passes them to GoTrue:
//   token_refresh    → GOTRUE_RATE_LIMIT_TOKEN_REFRESH: every POST /token (password and
//                      refresh_token grants alike)
//   sign_in_sign_ups → GOTRUE_RATE_LIMIT_OTP: POST /signup with an email or phone, PUT /user
//   web3             → POST /token?grant_type=web3
//   sign_in_sign_ups → also POST /otp, /recover, /resend (GoTrue's OTP limiters, one bucket each)
//   token_verifications → GOTRUE_RATE_LIMIT_VERIFY: GET and POST /verify
//   anonymous_users  → POST /signup without email or phone: per hour, burst = the number itself
//   email_sent       → GOTRUE_RATE_LIMIT_EMAIL_SENT: mails per hour for the whole server, applied
//                      (as GoTrue does) only when [auth.email] enable_confirmations is on; 0 refuses all
// sms_sent is read and reported but limits nothing (no SMS provider).
import fs from 'node:fs';
import path from 'node:path';
import type { StackConfig } from '../config.ts';
import type { ApiRequest } from '../service.ts';
import { AuthError } from './errors.ts';

export interface AuthRateLimits {
  email_sent: number;
  sms_sent: number;
  anonymous_users: number;
  token_refresh: number;
  sign_in_sign_ups: number;
  token_verifications: number;
  web3: number;
}

/** The Supabase CLI's defaults (its config.toml template), also GoTrue's own where it has one. */
export const CLI_DEFAULT_RATE_LIMITS: AuthRateLimits = {
  email_sent: 2,
  sms_sent: 30,
  anonymous_users: 30,
  token_refresh: 150,
  sign_in_sign_ups: 30,
  token_verifications: 30,
  web3: 30,
};

/**
 * For stacks that run test suites: every test signs in from 127.0.0.1, so the buckets refill
 * practically at once. One test starts an Auth server with the real limits to prove the 429.
 */
export const TEST_STACK_RATE_LIMITS: Partial<AuthRateLimits> = {
  token_refresh: 1_000_000,
  sign_in_sign_ups: 1_000_000,
  web3: 1_000_000,
  token_verifications: 1_000_000,
  anonymous_users: 1_000_000,
  email_sent: 1_000_000,
};

/** GoTrue's fixed burst for these limiters (SetBurst(30)). */
const BURST = 30;
const WINDOW_SECONDS = 5 * 60;

/** `key = number` lines of the `[auth.rate_limit]` table of a Supabase CLI config.toml. */
export function parseRateLimits(toml: string, source: string): Partial<AuthRateLimits> {
  const out: Partial<AuthRateLimits> = {};
  let inSection = false;
  for (const [i, raw] of toml.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      inSection = header[1] === 'auth.rate_limit';
      continue;
    }
    if (!inSection) continue;
    const entry = /^([A-Za-z0-9_]+)\s*=\s*(.+)$/.exec(line);
    const key = entry?.[1] as keyof AuthRateLimits | undefined;
    if (!entry || !key || !(key in CLI_DEFAULT_RATE_LIMITS)) continue;
    const value = Number(entry[2]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${source}:${i + 1}: auth.rate_limit.${key} must be a non-negative number, got ${entry[2]}`);
    out[key] = value;
  }
  return out;
}

/** The limits in effect: the CLI's defaults, then supabase/config.toml, then the stack config's overrides. */
export function resolveRateLimits(config: Pick<StackConfig, 'supabaseDir' | 'authRateLimits'>): AuthRateLimits {
  const file = path.join(config.supabaseDir, 'config.toml');
  const fromFile = fs.existsSync(file) ? parseRateLimits(fs.readFileSync(file, 'utf8'), file) : {};
  return { ...CLI_DEFAULT_RATE_LIMITS, ...fromFile, ...config.authRateLimits };
}

/** Token buckets per key: `burst` tokens, refilled at `perSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, nowMs = Date.now()): boolean {
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond) : this.burst;
    if (tokens < 1) {
      if (bucket) Object.assign(bucket, { tokens, at: nowMs });
      return false;
    }
    if (!bucket && this.buckets.size >= this.maxKeys) this.evict(nowMs);
    this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
    return true;
  }

  /** Full buckets carry no state; if none is full, the oldest entries go. */
  private evict(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

export type LimitName = 'token' | 'signups' | 'user' | 'web3' | 'otp' | 'recover' | 'resend' | 'verify' | 'anonymous' | 'mfaChallenge' | 'mfaVerify';

export interface AuthLimiter {
  readonly limits: AuthRateLimits;
  /** Throws GoTrue's 429 over_request_rate_limit when the client's bucket for `name` is empty. */
  check(name: LimitName, req: ApiRequest): void;
}

/**
 * The client's address: the socket's peer. The gateway is this stack's edge (hosted Supabase's
 * GoTrue reads the address its own proxy vouches for), so a client's X-Forwarded-For is not trusted.
 */
function clientAddress(req: ApiRequest): string {
  return req.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

export function createAuthLimiter(limits: AuthRateLimits): AuthLimiter {
  const per5m = (n: number) => new TokenBuckets(n / WINDOW_SECONDS, BURST);
  const buckets: Record<LimitName, TokenBuckets> = {
    token: per5m(limits.token_refresh),
    // GoTrue keeps separate limiters of the same rate for /signup and PUT /user.
    signups: per5m(limits.sign_in_sign_ups),
    user: per5m(limits.sign_in_sign_ups),
    web3: per5m(limits.web3),
    otp: per5m(limits.sign_in_sign_ups),
    recover: per5m(limits.sign_in_sign_ups),
    resend: per5m(limits.sign_in_sign_ups),
    verify: per5m(limits.token_verifications),
    anonymous: new TokenBuckets(limits.anonymous_users / 3600, limits.anonymous_users),
    // GOTRUE_MFA_RATE_LIMIT_CHALLENGE_AND_VERIFY's default, 15 per minute (burst 30), one limiter each.
    mfaChallenge: new TokenBuckets(15 / 60, BURST),
    mfaVerify: new TokenBuckets(15 / 60, BURST),
  };
  return {
    limits,
    check(name, req) {
      if (!buckets[name].take(clientAddress(req))) throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
    },
  };
}

export interface HourlyLimiter {
  take(nowMs?: number): boolean;
}

/** GoTrue's email limiter: `events` per hour for the whole server (a sliding hour here). */
export function createHourlyLimiter(events: number): HourlyLimiter {
  const sent: number[] = [];
  return {
    take(nowMs = Date.now()) {
      while (sent.length > 0 && sent[0]! <= nowMs - 3_600_000) sent.shift();
      if (sent.length >= events) return false;
      if (sent.length < 100_000) sent.push(nowMs);
      return true;
    },
  };
}
