import { AuthError, badRequest } from './errors.ts';

/** The Go types GoTrue's request structs use; the decoder reproduces encoding/json's answers for them. */
export type FieldKind = 'string' | 'bool' | 'object';
export type Schema = Record<string, FieldKind>;

type Decoded<S extends Schema> = {
  [K in keyof S]?: S[K] extends 'string' ? string : S[K] extends 'bool' ? boolean : Record<string, unknown> | null;
};

const MAX_BODY_BYTES = 1 << 20;

const GO_TYPE: Record<FieldKind, string> = { string: 'string', bool: 'bool', object: 'map[string]interface {}' };

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // string, number, object
}

/** Go's encoding/json wording, approximated from the offending character (Go names the parser state too). */
function syntaxMessage(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  if (text.trim() === '' || /end of JSON input|Unterminated string/i.test(message)) return 'unexpected end of JSON input';
  const position = /at position (\d+)/.exec(message)?.[1];
  const token = position !== undefined ? text[Number(position)] : /Unexpected token '?(.)'?/.exec(message)?.[1];
  return `invalid character '${token ?? text.trim()[0]}' looking for beginning of value`;
}

/**
 * Decodes a JSON body into the fields of `schema` as Go's encoding/json does into GoTrue's structs:
 * unknown keys are ignored, keys match case-insensitively, `null` leaves a field unset, a wrong type
 * is a 400 `bad_json`. `structName` appears in the error message as in Go's.
 */
export function decodeBody<S extends Schema>(body: Buffer, structName: string, schema: S): Decoded<S> {
  if (body.length > MAX_BODY_BYTES) {
    throw new AuthError(413, 'request_entity_too_large', `Request body too large (max ${MAX_BODY_BYTES} bytes)`);
  }
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${syntaxMessage(err, text)}`);
  }
  const out: Record<string, unknown> = {};
  if (parsed === null) return out as Decoded<S>;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('bad_json', `Could not parse request body as JSON: json: cannot unmarshal ${jsonTypeOf(parsed)} into Go value of type api.${structName}`);
  }
  const fields = Object.keys(schema);
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = fields.find((f) => f === key) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (!field || value === null) continue;
    const kind = schema[field] as FieldKind;
    const ok =
      (kind === 'string' && typeof value === 'string') ||
      (kind === 'bool' && typeof value === 'boolean') ||
      (kind === 'object' && typeof value === 'object' && !Array.isArray(value));
    if (!ok) {
      throw badRequest(
        'bad_json',
        `Could not parse request body as JSON: json: cannot unmarshal ${jsonTypeOf(value)} into Go struct field ${structName}.${field} of type ${GO_TYPE[kind]}`,
      );
    }
    out[field] = value;
  }
  return out as Decoded<S>;
}
