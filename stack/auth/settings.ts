/** The Supabase CLI's local Auth defaults (supabase/config.toml), which this server implements. */
export const AUTH_SETTINGS = {
  /** `[auth] minimum_password_length` */
  minimumPasswordLength: 6,
  /** `[auth] refresh_token_reuse_interval`, seconds. */
  refreshTokenReuseInterval: 10,
  /** `[auth.email] enable_confirmations = false` → GoTrue's mailer autoconfirm. */
  mailerAutoconfirm: true,
  /** `[auth.sms] enable_confirmations = false` → GoTrue's SMS autoconfirm. */
  phoneAutoconfirm: true,
  /** `[auth.sms] enable_signup = false` → the phone provider is off. */
  phoneEnabled: false,
  /** `[auth.email] max_frequency`, milliseconds. */
  emailMaxFrequencyMs: 1000,
  /** GoTrue's GOTRUE_JWT_AUD / GOTRUE_JWT_DEFAULT_GROUP_NAME. */
  audience: 'authenticated',
  defaultRole: 'authenticated',
  /** GoTrue's GOTRUE_JWT_ADMIN_ROLES default. */
  adminRoles: ['service_role', 'supabase_admin'],
} as const;

const EXTERNAL_PROVIDERS = [
  'anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'snapchat', 'figma', 'fly',
  'github', 'gitlab', 'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'spotify',
  'slack', 'slack_oidc', 'workos', 'twitch', 'twitter', 'email', 'phone', 'zoom',
] as const;

/** GET /settings, with GoTrue's field names. */
export function settingsBody(): Record<string, unknown> {
  const external = Object.fromEntries(
    EXTERNAL_PROVIDERS.map((p) => [p, p === 'email' || (p === 'phone' && AUTH_SETTINGS.phoneEnabled)]),
  );
  return {
    external,
    disable_signup: false,
    mailer_autoconfirm: AUTH_SETTINGS.mailerAutoconfirm,
    phone_autoconfirm: AUTH_SETTINGS.phoneAutoconfirm,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}
