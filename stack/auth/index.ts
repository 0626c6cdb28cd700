import type { ApiRequest, ApiResponse, Service, ServiceContext } from '../service.ts';
import { listUsers } from './admin-list.ts';
import { createUser, deleteUserById, getUserById, updateUserById } from './admin.ts';
import { requireAdmin, requireAuthentication } from './authenticate.ts';
import { json, type AuthDeps, type Handler } from './context.ts';
import { AuthError, errorResponse } from './errors.ts';
import { logout } from './logout.ts';
import { MailStore } from '../mail/store.ts';
import { loadAuthConfig } from './auth-config.ts';
import { generateLink, invite } from './invite.ts';
import { adminDeleteFactor, adminListFactors, challengeFactor, enrollFactor, unenrollFactor, verifyFactor } from './mfa.ts';
import { otp, reauthenticate, resend } from './otp.ts';
import { createAuthLimiter, createHourlyLimiter, resolveRateLimits } from './rate-limit.ts';
import { recover } from './recover.ts';
import { verify } from './verify.ts';
import { settingsBody } from './settings.ts';
import { signup } from './signup.ts';
import { token } from './token.ts';
import { getUser, updateUser } from './user.ts';

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const UUID_SEGMENT = '(?<id>[^/]+)';

const ROUTES: Route[] = [
  { pattern: /^\/health\/?$/, methods: { GET: async () => json(200, { version: 'stack', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }) } },
  { pattern: /^\/settings\/?$/, methods: { GET: async () => json(200, settingsBody()) } },
  { pattern: /^\/signup\/?$/, methods: { POST: signup } },
  { pattern: /^\/token\/?$/, methods: { POST: token } },
  { pattern: /^\/user\/?$/, methods: { GET: getUser, PUT: updateUser } },
  { pattern: /^\/logout\/?$/, methods: { POST: logout } },
  { pattern: /^\/recover\/?$/, methods: { POST: recover } },
  { pattern: /^\/verify\/?$/, methods: { GET: verify, POST: verify } },
  { pattern: /^\/otp\/?$/, methods: { POST: otp } },
  { pattern: /^\/resend\/?$/, methods: { POST: resend } },
  { pattern: /^\/reauthenticate\/?$/, methods: { GET: reauthenticate } },
  { pattern: /^\/invite\/?$/, methods: { POST: invite } },
  { pattern: /^\/factors\/?$/, methods: { POST: enrollFactor } },
  { pattern: /^\/factors\/(?<id>[^/]+)\/verify\/?$/, methods: { POST: verifyFactor } },
  { pattern: /^\/factors\/(?<id>[^/]+)\/challenge\/?$/, methods: { POST: challengeFactor } },
  { pattern: /^\/factors\/(?<id>[^/]+)\/?$/, methods: { DELETE: unenrollFactor } },
  { pattern: /^\/admin\/generate_link\/?$/, methods: { POST: generateLink } },
  { pattern: /^\/admin\/users\/(?<id>[^/]+)\/factors\/?$/, methods: { GET: adminListFactors } },
  { pattern: /^\/admin\/users\/(?<id>[^/]+)\/factors\/(?<factorId>[^/]+)\/?$/, methods: { DELETE: adminDeleteFactor } },
  { pattern: /^\/admin\/users\/?$/, methods: { GET: listUsers, POST: createUser } },
  { pattern: new RegExp(`^/admin/users/${UUID_SEGMENT}/?$`), methods: { GET: getUserById, PUT: updateUserById, DELETE: deleteUserById } },
];

/**
 * Sub-routers whose middleware runs before their routes are matched (as chi mounts them in GoTrue):
 * an unknown path under /admin first needs admin credentials, one under /user a valid session.
 */
async function guardPrefix(deps: AuthDeps, req: ApiRequest): Promise<void> {
  if (req.path.startsWith('/admin/')) await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  else if (req.path.startsWith('/user/') && req.path !== '/user/') await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
}

async function route(deps: AuthDeps, req: ApiRequest): Promise<ApiResponse> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  for (const { pattern, methods } of ROUTES) {
    const match = pattern.exec(req.path);
    if (!match) continue;
    const handler = methods[method];
    // chi's defaults: 405 with an empty body, 404 as plain text.
    if (!handler) return { status: 405, headers: { allow: Object.keys(methods).join(', ') } };
    return handler(deps, req, { ...match.groups });
  }
  await guardPrefix(deps, req);
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
}

/** The Auth server: GoTrue's HTTP API (email and password, email links and codes, TOTP MFA, anonymous) over auth.* tables. */
export async function createAuthService(ctx: ServiceContext): Promise<Service> {
  const limits = resolveRateLimits(ctx.config);
  const auth = loadAuthConfig(ctx.config);
  if (auth.email.smtpConfigured) ctx.log('auth: [auth.email.smtp] is set in supabase/config.toml; the local stack does not send through SMTP, mail stays in its mail catcher');
  const deps: AuthDeps = {
    config: ctx.config,
    pool: ctx.adminPool,
    limiter: createAuthLimiter(limits),
    emailLimiter: createHourlyLimiter(limits.email_sent),
    auth,
    mail: ctx.mail ?? new MailStore(),
    log: ctx.log,
  };
  return {
    async handle(req) {
      try {
        return await route(deps, req);
      } catch (err) {
        if (err instanceof AuthError) return errorResponse(req, err);
        ctx.log(`auth: ${req.method} ${req.path} failed: ${(err as Error).stack ?? err}`);
        return errorResponse(req, new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'));
      }
    },
    close: async () => {},
  };
}
