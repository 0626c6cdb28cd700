// The build's secret scan: a bundle served to every visitor must hold no key that bypasses RLS.
// Run by the Vite plugin on every `vite build` (tools/vite-security.ts) and by hand with
// `npx tsx tools/secret-scan.ts [dist]`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_JWT_SECRET, DEFAULT_SERVICE_ROLE_KEY } from '../stack/config.ts';

export interface Secret {
  /** Where the value comes from, e.g. `env SUPABASE_SERVICE_ROLE_KEY`; never the value itself. */
  name: string;
  value: string;
}

export interface Finding {
  file: string;
  /** Byte offset in the file. */
  offset: number;
  what: string;
}

/** Names that say a variable holds a secret. */
export const SECRET_NAME = /SERVICE_ROLE|SECRET|PRIVATE/i;
/** Shorter values ("true", "1", a port) would match by accident and protect nothing. */
const MIN_SECRET_LENGTH = 8;

/** The local stack's well-known keys, then every environment variable whose name says it is secret. */
export function knownSecrets(env: Record<string, string | undefined>): Secret[] {
  const secrets: Secret[] = [
    { name: "the local stack's service_role key", value: DEFAULT_SERVICE_ROLE_KEY },
    { name: "the local stack's JWT secret", value: DEFAULT_JWT_SECRET },
  ];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < MIN_SECRET_LENGTH || !SECRET_NAME.test(name)) continue;
    if (secrets.some((s) => s.value === value)) continue;
    secrets.push({ name: `env ${name}`, value });
  }
  return secrets;
}

/** The spellings a value can take in a bundle: as is, escaped in a JS/JSON string, URL-encoded, base64. */
function spellings(value: string): string[] {
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
  ];
  // Files are read as latin1 so that string offsets are byte offsets; encode the needles the same way.
  return [...new Set(forms.map((f) => Buffer.from(f, 'utf8').toString('latin1')))];
}

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const SUPABASE_SECRET_KEY = /sb_secret_[A-Za-z0-9_-]{8,}/g;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;

function jwtRole(token: string): string | undefined | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    if (typeof payload !== 'object' || payload === null) return null;
    const role = (payload as { role?: unknown }).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return null; // looks like a JWT but is not one
  }
}

/** Findings in one file's bytes. */
export function scanBytes(file: string, bytes: Buffer, secrets: Secret[]): Finding[] {
  const text = bytes.toString('latin1');
  const findings: Finding[] = [];
  for (const secret of secrets) {
    for (const needle of spellings(secret.value)) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        findings.push({ file, offset: at, what: secret.name });
      }
    }
  }
  for (const match of text.matchAll(JWT)) {
    const role = jwtRole(match[0]);
    if (role === null || role === 'anon') continue;
    findings.push({ file, offset: match.index, what: role === undefined ? 'a JWT without a role claim' : `a JWT with role "${role}"` });
  }
  for (const match of text.matchAll(SUPABASE_SECRET_KEY)) findings.push({ file, offset: match.index, what: 'a Supabase secret key (sb_secret_…)' });
  for (const match of text.matchAll(PEM_PRIVATE_KEY)) findings.push({ file, offset: match.index, what: 'a PEM private key' });
  // One finding per place: a JWT that is also the known service key is reported once, by its name.
  const seen = new Set<number>();
  return findings
    .sort((a, b) => a.offset - b.offset)
    .filter((f) => (seen.has(f.offset) ? false : (seen.add(f.offset), true)));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Every file under `dir`, named relative to it. */
export function scanDirectory(dir: string, secrets: Secret[]): Finding[] {
  return filesUnder(dir).flatMap((file) => scanBytes(path.relative(dir, file), readFileSync(file), secrets));
}

export function describeFindings(dir: string, findings: Finding[]): string {
  const lines = findings.slice(0, 20).map((f) => `  ${path.join(dir, f.file)} at byte ${f.offset}: ${f.what}`);
  if (findings.length > 20) lines.push(`  … and ${findings.length - 20} more`);
  return [
    `Secret scan: the build in ${dir} holds ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`} that must never reach a browser:`,
    ...lines,
    'The browser may hold only the anon (publishable) key. Check which VITE_* variables name a secret key, and where the code imports it.',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? 'dist');
  const findings = scanDirectory(dir, knownSecrets(process.env));
  if (findings.length > 0) {
    console.error(describeFindings(dir, findings));
    process.exit(1);
  }
  console.log(`Secret scan: ${filesUnder(dir).length} files in ${dir}, no secrets.`);
}
