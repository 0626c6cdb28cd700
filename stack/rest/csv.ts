// CSV request bodies (text/csv inserts): a header line then records; the unquoted text NULL is null.

/** Parses RFC 4180 CSV into objects keyed by the header; undefined when records differ in length. */
export function parseCsv(text: string): Array<Record<string, string | null>> | undefined {
  const records: Array<Array<{ value: string; quoted: boolean }>> = [];
  let record: Array<{ value: string; quoted: boolean }> = [];
  let value = '';
  let quoted = false;
  let inQuotes = false;
  let i = 0;
  const endField = () => {
    record.push({ value, quoted });
    value = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      if (c === '"') inQuotes = false;
      else value += c;
      i++;
      continue;
    }
    if (c === '"' && value === '') {
      inQuotes = true;
      quoted = true;
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else value += c;
    i++;
  }
  if (value !== '' || quoted || record.length > 0) endRecord();
  const [header, ...rows] = records;
  if (!header) return [];
  const names = header.map((f) => f.value);
  if (rows.some((r) => r.length !== names.length)) return undefined;
  return rows.map((r) => Object.fromEntries(names.map((n, j) => [n, !r[j]!.quoted && r[j]!.value === 'NULL' ? null : r[j]!.value])));
}
