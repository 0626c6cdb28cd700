// The Prefer header as PostgREST v12 reads it (src/PostgREST/ApiRequest/Preferences.hs).

export interface Preferences {
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  representation?: 'representation' | 'minimal' | 'headers-only';
  params?: 'single-object';
  count?: 'exact' | 'planned' | 'estimated';
  transaction?: 'commit' | 'rollback';
  missing?: 'default' | 'null';
  handling?: 'strict' | 'lenient';
  timezone?: string;
  maxAffected?: number;
  invalid: string[];
}

const CHOICES = {
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  representation: ['representation', 'minimal', 'headers-only'],
  params: ['single-object'],
  count: ['exact', 'planned', 'estimated'],
  transaction: ['commit', 'rollback'],
  missing: ['default', 'null'],
  handling: ['strict', 'lenient'],
} as const;

const PREFIX: Record<keyof typeof CHOICES, string> = {
  resolution: 'resolution=',
  representation: 'return=',
  params: 'params=',
  count: 'count=',
  transaction: 'tx=',
  missing: 'missing=',
  handling: 'handling=',
};

export function parsePreferences(header: string | string[] | undefined, timezones: Set<string>): Preferences {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const prefs = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const out: Preferences = { invalid: [] };
  const known = new Set<string>();
  for (const [name, values] of Object.entries(CHOICES) as Array<[keyof typeof CHOICES, readonly string[]]>) {
    for (const value of values) known.add(PREFIX[name] + value);
    // The first matching preference of each kind wins.
    const found = prefs.find((p) => p.startsWith(PREFIX[name]) && values.includes(p.slice(PREFIX[name].length)));
    if (found) (out as unknown as Record<string, string>)[name] = found.slice(PREFIX[name].length);
  }
  const timezone = prefs.find((p) => p.startsWith('timezone='))?.slice('timezone='.length);
  if (timezone !== undefined && timezones.has(timezone)) out.timezone = timezone;
  const maxAffected = prefs.find((p) => p.startsWith('max-affected='))?.slice('max-affected='.length);
  if (maxAffected !== undefined && /^-?\d+$/.test(maxAffected)) out.maxAffected = Number(maxAffected);
  out.invalid = prefs.filter(
    (p) => !known.has(p) && !(p.startsWith('timezone=') && out.timezone !== undefined) && !p.startsWith('max-affected='),
  );
  return out;
}

/** The Preference-Applied header value for the given subset of preferences, in PostgREST's order. */
export function preferenceApplied(p: Partial<Preferences>): string | undefined {
  const values = [
    p.resolution && `resolution=${p.resolution}`,
    p.missing && `missing=${p.missing}`,
    p.representation && `return=${p.representation}`,
    p.params && `params=${p.params}`,
    p.count && `count=${p.count}`,
    p.transaction && `tx=${p.transaction}`,
    p.handling && `handling=${p.handling}`,
    p.timezone && `timezone=${p.timezone}`,
    p.handling === 'strict' && p.maxAffected !== undefined && `max-affected=${p.maxAffected}`,
  ].filter(Boolean);
  return values.length ? values.join(', ') : undefined;
}
