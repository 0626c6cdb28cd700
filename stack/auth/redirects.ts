import type { ApiRequest } from '../service.ts';
import type { AuthConfig } from './auth-config.ts';

const header = (req: ApiRequest, name: string) => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

/** gobwas/glob with separators '.' and '/', as GoTrue compiles additional_redirect_urls: `*` stays within a segment, `**` crosses. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^./]*';
    } else if (c === '?') out += '[^./]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const isLocalhost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';

/** GoTrue's utilities.IsRedirectURLValid. */
export function isRedirectUrlValid(auth: AuthConfig, redirectUrl: string): boolean {
  if (redirectUrl === '') return false;
  let base: URL;
  let ref: URL;
  try {
    base = new URL(auth.siteUrl);
    ref = new URL(redirectUrl);
  } catch {
    return false;
  }
  if (base.hostname === ref.hostname && base.protocol === ref.protocol && (base.port === ref.port || isLocalhost(ref.hostname))) return true;
  const host = ref.hostname.replace(/^\[|\]$/g, '');
  if (/^[0-9]+$/.test(host)) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host.startsWith('127.');
  if (host.includes(':')) return host === '::1';
  if ((ref.protocol === 'http:' || ref.protocol === 'https:') && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) return false;
  const withoutFragment = redirectUrl.split('#')[0]!;
  return auth.additionalRedirectUrls.some((pattern) => globToRegExp(pattern).test(withoutFragment));
}

/** GoTrue's GetReferrer: `redirect_to` (header, then query), else the Referer, when allowed; else the site URL. */
export function referrer(req: ApiRequest, auth: AuthConfig, fromBody?: string): string {
  for (const candidate of [fromBody ?? '', header(req, 'redirect_to'), req.url.searchParams.get('redirect_to') ?? '', header(req, 'referer')]) {
    if (candidate && isRedirectUrlValid(auth, candidate)) return candidate;
  }
  return auth.siteUrl;
}
