// Accept negotiation as PostgREST v12 does it (src/PostgREST/MediaType.hs, Plan.negotiateContent).
import { errors } from './errors.ts';

export type Output =
  | { kind: 'json'; contentType: string }
  | { kind: 'json-stripped'; contentType: string }
  | { kind: 'single'; stripNulls: boolean; contentType: string }
  | { kind: 'csv'; contentType: string };

interface Accepted {
  mime: string;
  /** What PostgREST echoes in a PGRST107 error for this entry. */
  echo: string;
  params: Map<string, string>;
  q: number;
  specificity: number;
}

const PLAIN_TYPES = new Set([
  'application/json', 'application/geo+json', 'text/csv', 'text/plain', 'text/xml', 'application/openapi+json',
  'application/x-www-form-urlencoded', 'application/octet-stream', '*/*',
]);

/** How PostgREST writes a media type back (toMime of its decoded form). */
function echoOf(mime: string, params: Map<string, string>, original: string): string {
  if (PLAIN_TYPES.has(mime)) return mime;
  const plan = /^application\/vnd\.pgrst\.plan(?:\+(json|text))?$/.exec(mime);
  if (plan) {
    const options = params.get('options');
    return `application/vnd.pgrst.plan+${plan[1] ?? 'text'}; for="${params.get('for') ?? 'application/json'}"${options ? `; options=${options}` : ''}`;
  }
  if (/^application\/vnd\.pgrst\.(object|array)(\+json)?$/.test(mime)) {
    const base = mime.includes('object') ? 'application/vnd.pgrst.object+json' : 'application/json';
    return params.get('nulls') === 'stripped' ? `${base};nulls=stripped` : base;
  }
  return original;
}

function parseAccept(header: string): Accepted[] {
  const entries = header
    .split(',')
    .map((part, index) => {
      const [type = '', ...rawParams] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const raw of rawParams) {
        const eq = raw.indexOf('=');
        if (eq > 0) params.set(raw.slice(0, eq).trim().toLowerCase(), raw.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
      }
      const qText = params.get('q');
      params.delete('q');
      const q = qText !== undefined && Number.isFinite(Number(qText)) ? Number(qText) : 1;
      const mime = type.toLowerCase();
      const specificity = mime === '*/*' ? 0 : mime.endsWith('/*') ? 1 : 2 + params.size;
      return { mime, echo: echoOf(mime, params, part.trim()), params, q, specificity, index };
    })
    .filter((e) => e.mime !== '');
  return entries.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.index - b.index);
}

const UTF8 = '; charset=utf-8';

/** Picks the response format for a read, mutation or RPC; answers 406 (PGRST107) when none fits. */
export function negotiate(acceptHeader: string | undefined): Output {
  const accepted = acceptHeader === undefined || acceptHeader.trim() === '' ? parseAccept('*/*') : parseAccept(acceptHeader);
  for (const a of accepted) {
    const stripped = a.params.get('nulls') === 'stripped';
    switch (a.mime) {
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
  }
  throw errors.mediaType(accepted.map((a) => a.echo));
}
