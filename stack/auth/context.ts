import { isIP } from 'node:net';
import type pg from 'pg';
import type { StackConfig } from '../config.ts';
import type { ApiRequest, ApiResponse } from '../service.ts';
import type { MailSink } from '../mail/store.ts';
import type { AuthConfig } from './auth-config.ts';
import type { AuthLimiter, HourlyLimiter } from './rate-limit.ts';
import type { TokenContext } from './tokens.ts';

/** What every Auth handler works with. */
export interface AuthDeps {
  config: StackConfig;
  pool: pg.Pool;
  /** GoTrue's per-IP rate limits. */
  limiter: AuthLimiter;
  /** GoTrue's global email limiter (`email_sent` per hour). */
  emailLimiter: HourlyLimiter;
  /** `[auth]` of supabase/config.toml. */
  auth: AuthConfig;
  /** Where mails go: the stack's mail catcher. */
  mail: MailSink;
  log(line: string): void;
}

export type Handler = (deps: AuthDeps, req: ApiRequest, params: Record<string, string>) => Promise<ApiResponse>;

/** GoTrue answers `application/json` without a charset. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const header = (req: ApiRequest, name: string) => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/** GOTRUE_JWT_ISSUER as the CLI sets it: the API URL + /auth/v1 (the request's origin when the port is chosen at start). */
export function tokenContext(deps: AuthDeps, req: ApiRequest): TokenContext {
  const { config } = deps;
  const origin = config.apiPort ? `http://${config.apiHost}:${config.apiPort}` : req.url.origin;
  const ip = req.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return {
    jwtSecret: config.jwtSecret,
    jwtExpiry: config.jwtExpiry,
    issuer: `${origin}/auth/v1`,
    userAgent: header(req, 'user-agent'),
    ip: isIP(ip) ? ip : '',
  };
}
