// The `[auth]` settings of supabase/config.toml that the flows honour, with the Supabase CLI's
// defaults where a key is absent (and GoTrue's own default where the CLI sets none).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import type { StackConfig } from '../config.ts';
import { parseGoDuration } from './duration.ts';

export type EmailTemplateName = 'invite' | 'confirmation' | 'recovery' | 'magic_link' | 'email_change' | 'reauthentication';

export interface AuthConfig {
  siteUrl: string;
  additionalRedirectUrls: string[];
  enableSignup: boolean;
  enableAnonymousSignIns: boolean;
  email: {
    enableSignup: boolean;
    /** Off → GoTrue's mailer autoconfirm (no confirmation mail, no global email limit). */
    enableConfirmations: boolean;
    doubleConfirmChanges: boolean;
    securePasswordChange: boolean;
    maxFrequencyMs: number;
    otpLength: number;
    otpExpirySeconds: number;
    templates: Partial<Record<EmailTemplateName, { subject?: string; contentPath?: string }>>;
    /** `[auth.email.smtp]` with enabled = true: the CLI would send through it; the stack keeps mail in its catcher. */
    smtpConfigured: boolean;
  };
  mfa: {
    maxEnrolledFactors: number;
    totpEnrollEnabled: boolean;
    totpVerifyEnabled: boolean;
  };
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});
const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const str = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

const TEMPLATE_NAMES: EmailTemplateName[] = ['invite', 'confirmation', 'recovery', 'magic_link', 'email_change', 'reauthentication'];

/** Reads supabase/config.toml of `config.supabaseDir` (a missing file means all defaults). */
export function loadAuthConfig(config: Pick<StackConfig, 'supabaseDir' | 'siteUrl'>): AuthConfig {
  const file = path.join(config.supabaseDir, 'config.toml');
  const doc: Table = fs.existsSync(file) ? (parse(fs.readFileSync(file, 'utf8')) as Table) : {};
  const auth = table(doc.auth);
  const email = table(auth.email);
  const mfa = table(auth.mfa);
  const totp = table(mfa.totp);
  const templates: AuthConfig['email']['templates'] = {};
  for (const name of TEMPLATE_NAMES) {
    const t = table(table(email.template)[name]);
    if (typeof t.subject === 'string' || typeof t.content_path === 'string') {
      templates[name] = { subject: t.subject as string | undefined, contentPath: t.content_path as string | undefined };
    }
  }
  const maxFrequency = str(email.max_frequency, '1s');
  return {
    // STACK_SITE_URL (config.siteUrl) wins when set; otherwise config.toml's site_url.
    siteUrl: process.env.STACK_SITE_URL ? config.siteUrl : str(auth.site_url, config.siteUrl),
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls) ? auth.additional_redirect_urls.filter((u): u is string => typeof u === 'string') : [],
    enableSignup: bool(auth.enable_signup, true),
    enableAnonymousSignIns: bool(auth.enable_anonymous_sign_ins, false),
    email: {
      enableSignup: bool(email.enable_signup, true),
      enableConfirmations: bool(email.enable_confirmations, false),
      doubleConfirmChanges: bool(email.double_confirm_changes, true),
      securePasswordChange: bool(email.secure_password_change, false),
      maxFrequencyMs: parseGoDuration(maxFrequency),
      otpLength: num(email.otp_length, 6),
      otpExpirySeconds: num(email.otp_expiry, 3600),
      templates,
      smtpConfigured: bool(table(email.smtp).enabled, Object.keys(table(email.smtp)).length > 0),
    },
    mfa: {
      maxEnrolledFactors: num(mfa.max_enrolled_factors, 10),
      totpEnrollEnabled: bool(totp.enroll_enabled, true),
      totpVerifyEnabled: bool(totp.verify_enabled, true),
    },
  };
}
