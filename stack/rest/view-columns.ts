// Which table column each view column shows, read from the view's query tree (pg_rewrite.ev_action)
// as PostgREST does to infer relationships and primary keys of views: the top-level target list
// entries carry resorigtbl/resorigcol for plain column references.

export interface ViewColumnOrigin {
  /** Position of the column in the view (resno). */
  position: number;
  name: string;
  originRelation: number;
  originColumn: number;
}

/** Reads the next token of node-tree text (backslash escapes and quoted strings included). */
function readToken(text: string, start: number): { token: string; end: number } {
  let i = start;
  let out = '';
  if (text[i] === '"') {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      out += text[i++] ?? '';
    }
    return { token: out, end: i + 1 };
  }
  while (i < text.length && !' \n(){}'.includes(text[i] as string)) {
    if (text[i] === '\\') i++;
    out += text[i++] ?? '';
  }
  return { token: out, end: i };
}

/** The top-level target list of a view's `_RETURN` rule. */
export function viewColumnOrigins(evAction: string): ViewColumnOrigin[] {
  const out: ViewColumnOrigin[] = [];
  let depth = 0;
  let inTargetList = false;
  let listDepth = -1;
  let entry: Partial<ViewColumnOrigin & { junk: boolean }> | undefined;
  for (let i = 0; i < evAction.length; i++) {
    const c = evAction[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') {
      i = readToken(evAction, i).end - 1;
      continue;
    }
    if (c === '(' || c === '{') {
      depth++;
      if (inTargetList && c === '{' && depth === listDepth + 1) entry = {};
      continue;
    }
    if (c === ')' || c === '}') {
      if (inTargetList && c === '}' && depth === listDepth + 1 && entry) {
        if (!entry.junk && entry.name !== undefined && entry.position !== undefined && entry.originRelation) {
          out.push({ position: entry.position, name: entry.name, originRelation: entry.originRelation, originColumn: entry.originColumn ?? 0 });
        }
        entry = undefined;
      }
      if (inTargetList && c === ')' && depth === listDepth) return out;
      depth--;
      continue;
    }
    if (c !== ':') continue;
    const { token: field, end } = readToken(evAction, i + 1);
    // Fields of the outermost QUERY node sit inside "({QUERY": depth 2.
    if (!inTargetList && depth === 2 && field === 'targetList') {
      inTargetList = true;
      listDepth = depth + 1;
      i = end - 1;
      continue;
    }
    if (inTargetList && entry && depth === listDepth + 1) {
      const value = readToken(evAction, end + 1);
      if (field === 'resno') entry.position = Number(value.token);
      else if (field === 'resname') entry.name = value.token;
      else if (field === 'resorigtbl') entry.originRelation = Number(value.token);
      else if (field === 'resorigcol') entry.originColumn = Number(value.token);
      else if (field === 'resjunk') entry.junk = value.token === 'true';
      else continue;
      i = value.end - 1;
    }
  }
  return out;
}
