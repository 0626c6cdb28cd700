// The SPA's Content Security Policy and the other response headers, in one place: the build puts the
// policy in a <meta> tag and writes dist/_headers, the preview server sends them, docs/security.md
// explains them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Supabase project's origin, and the same host for Realtime's WebSocket (wss for https). */
export function supabaseOrigins(supabaseUrl: string): string[] {
  const url = new URL(supabaseUrl);
  const socket = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${socket}//${url.host}`];
}

/**
 * sonner (toasts) injects its stylesheet with a <style> element at runtime. Rather than allow every
 * inline style ('unsafe-inline'), the policy allows exactly that stylesheet by its hash; it is read
 * from the installed package, so an upgrade cannot silently break toasts. An empty <style> is
 * inserted first and filled after, so the empty sheet's hash is allowed too.
 */
export function sonnerStyleHashes(): string[] {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('sonner'), 'utf8');
  const call = /__insertCSS\(("(?:[^"\\]|\\.)*")\)/.exec(source);
  if (!call?.[1]) throw new Error('tools/csp.ts: sonner no longer injects its CSS with __insertCSS("…"); find how it styles toasts now and allow that in style-src');
  const css = JSON.parse(call[1]) as string;
  return [css, ''].map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
}

export interface PolicyOptions {
  supabaseUrl: string;
  styleHashes: string[];
  /** Directives that only work as a response header (frame-ancestors, report-uri). */
  header?: { reportUri?: string };
}

export function contentSecurityPolicy({ supabaseUrl, styleHashes, header }: PolicyOptions): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", ...styleHashes]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...supabaseOrigins(supabaseUrl)]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  if (header) {
    directives.push(['frame-ancestors', ["'none'"]]);
    if (header.reportUri) directives.push(['report-uri', [header.reportUri]]);
  }
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Headers every host of the SPA should send (preview server, dist/_headers, docs/security.md). */
export function securityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    'X-Frame-Options': 'DENY',
  };
}

/** dist/_headers, the format Netlify and Cloudflare Pages read. */
export function headersFile(headers: Record<string, string>): string {
  return ['/*', ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`), ''].join('\n');
}
