import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANON_KEY, DEFAULT_JWT_SECRET, DEFAULT_SERVICE_ROLE_KEY } from '../../stack/config.ts';
import { signJwt } from '../../stack/jwt.ts';
import { knownSecrets, scanBytes, scanDirectory } from '../secret-scan.ts';

const secrets = knownSecrets({ MY_SERVICE_ROLE_KEY: 'srk-from-env-1234567890', STRIPE_SECRET: 'sk_live_ünïcode_secret', SHORT_SECRET: 'yes', PUBLIC_URL: 'https://example.com/x' });
const scan = (text: string) => scanBytes('app.js', Buffer.from(text, 'utf8'), secrets);

describe('secret scan of a build', () => {
  it('passes a bundle holding only the anon key', () => {
    expect(scan(`const key="${DEFAULT_ANON_KEY}";fetch("https://example.com/x")`)).toEqual([]);
  });

  it('names the service_role key and the JWT secret, with the byte offset', () => {
    const text = `const a="é";const k="${DEFAULT_SERVICE_ROLE_KEY}";const s='${DEFAULT_JWT_SECRET}'`;
    const findings = scan(text);
    expect(findings.map((f) => f.what)).toEqual(["the local stack's service_role key", "the local stack's JWT secret"]);
    // Offsets count bytes: "é" is two.
    expect(findings[0]?.offset).toBe(Buffer.byteLength(`const a="é";const k="`));
  });

  it('finds any JWT whose role is not anon, or that has no role', () => {
    const admin = signJwt({ role: 'service_role', iss: 'supabase' }, 'another-projects-secret-at-least-32-chars');
    const noRole = signJwt({ sub: 'x' }, 'another-projects-secret-at-least-32-chars');
    const anon = signJwt({ role: 'anon' }, 'another-projects-secret-at-least-32-chars');
    expect(scan(`a="${admin}";b="${noRole}";c="${anon}"`).map((f) => f.what)).toEqual(['a JWT with role "service_role"', 'a JWT without a role claim']);
  });

  it('finds Supabase secret keys and PEM private keys', () => {
    const text = 'x="sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";y="-----BEGIN RSA PRIVATE KEY-----\\nMIIE"';
    expect(scan(text).map((f) => f.what)).toEqual(['a Supabase secret key (sb_secret_…)', 'a PEM private key']);
    expect(scan('z="sb_publishable_abcdefghijklmnop";w="-----BEGIN PUBLIC KEY-----"')).toEqual([]);
  });

  it('finds the values of secret-named environment variables however they are spelled', () => {
    const raw = 'srk-from-env-1234567890';
    const unicode = 'sk_live_ünïcode_secret';
    for (const spelled of [raw, encodeURIComponent(raw), Buffer.from(raw).toString('base64'), JSON.stringify(unicode).slice(1, -1), unicode]) {
      const findings = scan(`v="${spelled}"`);
      expect(findings.map((f) => f.what), spelled).toEqual([expect.stringMatching(/^env (MY_SERVICE_ROLE_KEY|STRIPE_SECRET)$/)]);
    }
    // Too short to be a secret, or not secret by name.
    expect(scan('v="yes";u="https://example.com/x"')).toEqual([]);
  });

  describe('a directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports files in nested folders by their path', () => {
      mkdirSync(path.join(dir, 'assets'));
      writeFileSync(path.join(dir, 'index.html'), '<html></html>');
      const before = '{"sourcesContent":["const k = \'';
      writeFileSync(path.join(dir, 'assets', 'chunk.js.map'), `${before}${DEFAULT_SERVICE_ROLE_KEY}'"]}`);
      expect(scanDirectory(dir, secrets)).toEqual([{ file: path.join('assets', 'chunk.js.map'), offset: before.length, what: "the local stack's service_role key" }]);
    });
  });
});
