import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANON_KEY, DEFAULT_SERVICE_ROLE_KEY } from '../../stack/config.ts';

// `vite build` (so `npm run build`, and the e2e suite's build) refuses a bundle with a secret. The
// likeliest way one gets there: the service_role key pasted into VITE_SUPABASE_ANON_KEY.

const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'build-scan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function buildWith(anonKey: string, outDir: string): Promise<void> {
  const saved = { url: process.env.VITE_SUPABASE_URL, key: process.env.VITE_SUPABASE_ANON_KEY };
  process.env.VITE_SUPABASE_URL = 'https://abcdefghijklmnop.supabase.co';
  process.env.VITE_SUPABASE_ANON_KEY = anonKey;
  try {
    await build({ root, configFile: path.join(root, 'vite.config.ts'), mode: 'production', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const [name, value] of [['VITE_SUPABASE_URL', saved.url], ['VITE_SUPABASE_ANON_KEY', saved.key]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('the build', { timeout: 240_000 }, () => {
  it('fails on a bundle holding the service_role key, naming the file and offset', async () => {
    const outDir = path.join(work, 'planted');
    await expect(buildWith(DEFAULT_SERVICE_ROLE_KEY, outDir)).rejects.toThrow(/Secret scan: .*\n\s+\S+assets\/[\w.-]+\.js at byte \d+: the local stack's service_role key/);
  });

  it('passes with the anon key, and writes the policy into index.html and _headers', async () => {
    const outDir = path.join(work, 'real');
    await buildWith(DEFAULT_ANON_KEY, outDir);
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;;[^"]*connect-src &#39;self&#39; https:\/\/abcdefghijklmnop\.supabase\.co wss:\/\/abcdefghijklmnop\.supabase\.co/);
    expect(existsSync(path.join(outDir, '_headers'))).toBe(true);
    const headers = readFileSync(path.join(outDir, '_headers'), 'utf8');
    expect(headers).toContain("frame-ancestors 'none'");
    expect(headers).toContain('X-Content-Type-Options: nosniff');
  });
});
