// Accept negotiation as PostgREST v12 does it (src/PostgREST/MediaType.hs, Plan.negotiateContent).
import { errors } from './errors.ts';

export type Output =
  | { kind: 'json'; contentType: string }
  | { kind: 'json-stripped'; contentType: string }
  | { kind: 'single'; stripNulls: boolean; contentType: string }
  | { kind: 'csv'; contentType: string };

export type PlanOption = 'analyze' | 'verbose' | 'settings' | 'buffers' | 'wal';

/** `Accept: application/vnd.pgrst.plan`: the EXPLAIN of the statement that would answer `target`. */
export interface Plan {
  format: 'json' | 'text';
  /** In PostgREST's order, whatever order the header used. */
  options: PlanOption[];
  contentType: string;
}

export interface Negotiated {
  output: Output;
  plan?: Plan;
}

const PLAN_OPTIONS: PlanOption[] = ['analyze', 'verbose', 'settings', 'buffers', 'wal'];

interface MediaType {
  mime: string;
  params: Map<string, string>;
}

interface Accepted extends MediaType {
  /** What PostgREST echoes in a PGRST107 error for this entry. */
  echo: string;
  q: number;
  specificity: number;
}

const PLAIN_TYPES = new Set([
  'application/json', 'application/geo+json', 'text/csv', 'text/plain', 'text/xml', 'application/openapi+json',
  'application/x-www-form-urlencoded', 'application/octet-stream', '*/*',
]);

/** Splits on `sep` outside double quotes. */
function splitUnquoted(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseMediaType(text: string): MediaType {
  const [type = '', ...rawParams] = splitUnquoted(text, ';').map((s) => s.trim());
  const params = new Map<string, string>();
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq > 0) params.set(raw.slice(0, eq).trim().toLowerCase(), raw.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { mime: type.toLowerCase(), params };
}

const planFormat = (mime: string): 'json' | 'text' | undefined =>
  mime === 'application/vnd.pgrst.plan+json' ? 'json' : mime === 'application/vnd.pgrst.plan' || mime === 'application/vnd.pgrst.plan+text' ? 'text' : undefined;

const planOptions = (params: Map<string, string>): PlanOption[] => {
  const given = (params.get('options') ?? '').split('|');
  return PLAN_OPTIONS.filter((o) => given.includes(o));
};

/** How PostgREST writes a media type back (toMime of its decoded form). */
function echoOf(type: MediaType, original: string): string {
  const { mime, params } = type;
  if (PLAIN_TYPES.has(mime)) return mime;
  const format = planFormat(mime);
  if (format) {
    const target = params.get('for') ?? 'application/json';
    const options = planOptions(params);
    return `application/vnd.pgrst.plan+${format}; for="${echoOf(parseMediaType(target), target)}"${options.length ? `; options=${options.join('|')}` : ''}`;
  }
  if (/^application\/vnd\.pgrst\.(object|array)(\+json)?$/.test(mime)) {
    const base = mime.includes('object') ? 'application/vnd.pgrst.object+json' : 'application/json';
    return params.get('nulls') === 'stripped' ? `${base};nulls=stripped` : base;
  }
  return original;
}

function parseAccept(header: string): Accepted[] {
  const entries = splitUnquoted(header, ',')
    .map((part, index) => {
      const type = parseMediaType(part);
      const qText = type.params.get('q');
      type.params.delete('q');
      const q = qText !== undefined && Number.isFinite(Number(qText)) ? Number(qText) : 1;
      const specificity = type.mime === '*/*' ? 0 : type.mime.endsWith('/*') ? 1 : 2 + type.params.size;
      return { ...type, echo: echoOf(type, part.trim()), q, specificity, index };
    })
    .filter((e) => e.mime !== '');
  return entries.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.index - b.index);
}

const UTF8 = '; charset=utf-8';

/** The response format for one non-plan media type, or undefined when the stack has no handler for it. */
function outputFor({ mime, params }: MediaType): Output | undefined {
  const stripped = params.get('nulls') === 'stripped';
  switch (mime) {
    case '*/*':
    case 'application/json':
      return { kind: 'json', contentType: 'application/json' + UTF8 };
    case 'application/vnd.pgrst.object+json':
    case 'application/vnd.pgrst.object':
      return {
        kind: 'single',
        stripNulls: stripped,
        contentType: (stripped ? 'application/vnd.pgrst.object+json;nulls=stripped' : 'application/vnd.pgrst.object+json') + UTF8,
      };
    case 'application/vnd.pgrst.array+json':
    case 'application/vnd.pgrst.array':
      return stripped
        ? { kind: 'json-stripped', contentType: 'application/vnd.pgrst.array+json;nulls=stripped' + UTF8 }
        : { kind: 'json', contentType: 'application/json' + UTF8 };
    case 'text/csv':
      return { kind: 'csv', contentType: 'text/csv' + UTF8 };
  }
  return undefined;
}

/**
 * Picks the response format for a read, mutation or RPC, or an execution plan when `planEnabled`
 * (db-plan-enabled); answers 406 (PGRST107) when none fits. A plan media type is skipped when plans
 * are disabled or its `for` type has no handler, as PostgREST's negotiateContent does.
 */
export function negotiatePlan(acceptHeader: string | undefined, planEnabled: boolean): Negotiated {
  const accepted = acceptHeader === undefined || acceptHeader.trim() === '' ? parseAccept('*/*') : parseAccept(acceptHeader);
  for (const a of accepted) {
    const format = planFormat(a.mime);
    if (format === undefined) {
      const output = outputFor(a);
      if (output) return { output };
      continue;
    }
    if (!planEnabled) continue;
    const target = parseMediaType(a.params.get('for') ?? 'application/json');
    if (planFormat(target.mime)) continue;
    const output = outputFor(target);
    if (!output) continue;
    return { output, plan: { format, options: planOptions(a.params), contentType: a.echo + UTF8 } };
  }
  throw errors.mediaType(accepted.map((a) => a.echo));
}
