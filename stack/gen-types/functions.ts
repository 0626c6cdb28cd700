// Functions → `Functions: { name: { Args; Returns; SetofOptions? } | ... }`, keeping only what
// PostgREST can call, as postgres-meta's typegen does; overloads PostgREST cannot tell apart get
// an error type in place of their result, so calling them fails to typecheck.
import type { Catalog, Column, FunctionArg, PgFunction, PgType, Relation } from './catalog.ts';
import { compareNames, sortedBy } from './collate.ts';
import { orNull, tsType, tsTypeOfId, type TypeContext } from './ts-type.ts';

/** json, jsonb and text: the types of a single unnamed argument PostgREST passes the body to. */
const BODY_ARG_TYPE_IDS = new Set([114, 3802, 25]);
const INPUT_MODES = new Set(['in', 'inout', 'variadic']);

export interface SchemaFunction {
  fn: PgFunction;
  /** Every argument, sorted by name. */
  args: FunctionArg[];
  inArgs: FunctionArg[];
}

export interface FunctionContext extends TypeContext {
  columnsOf: (relationId: number) => Column[];
  /** Tables (with foreign tables) and views (with materialized views) of each schema. */
  relationsOf: (schema: string) => Relation[];
  relationNameById: Map<number, string>;
  /** Types that are the row type of a relation or a composite type. */
  relationTypes: Map<number, PgType>;
}

/** The functions of `schema` PostgREST can call: no unnamed arguments, or one of json/jsonb/text/a row type. */
export function callableFunctions(catalog: Catalog, schema: string, ctx: FunctionContext): SchemaFunction[] {
  const out: SchemaFunction[] = [];
  for (const fn of catalog.functions) {
    if (fn.schema !== schema) continue;
    const args = sortedBy(fn.args, (a) => a.name);
    const inArgs = args.filter((a) => INPUT_MODES.has(a.mode));
    const unnamedOk = inArgs.every((a) => a.name !== '' || (a.hasDefault && BODY_ARG_TYPE_IDS.has(a.typeId)));
    const single = inArgs.length === 1 && inArgs[0]!.name === '' && (BODY_ARG_TYPE_IDS.has(inArgs[0]!.typeId) || ctx.relationTypes.has(inArgs[0]!.typeId));
    if (unnamedOk || single) out.push({ fn, args, inArgs });
  }
  return sortedBy(out, (f) => f.fn.name);
}

function returnTableName(fn: PgFunction, ctx: FunctionContext): string | null {
  if (fn.returnTypeRelationId === null) return null;
  return ctx.relationNameById.get(fn.returnTypeRelationId) ?? ctx.relationTypes.get(fn.returnTypeId)?.name ?? null;
}

const objectType = (fields: string[]) => `{\n${fields.join('\n')}\n}`;

/** The type of one result row (or the scalar result), without the array of a set-returning function. */
export function returnShape(schema: string, { fn, args }: SchemaFunction, ctx: FunctionContext): string {
  const tableColumns = args.filter((a) => a.mode === 'table');
  if (tableColumns.length > 0) return objectType(tableColumns.map((a) => `${JSON.stringify(a.name)}: ${tsTypeOfId(schema, a.typeId, ctx)}`));
  const relation = ctx.relationsOf(schema).find((r) => r.id === fn.returnTypeRelationId);
  if (relation) {
    const columns = sortedBy(ctx.columnsOf(relation.id), (c) => c.name);
    return objectType(columns.map((c) => `${JSON.stringify(c.name)}: ${orNull(tsType(schema, c.typeName, ctx), c.nullable)}`));
  }
  return tsTypeOfId(schema, fn.returnTypeId, ctx);
}

/** The result as postgrest-js reads it: an array for a set, and SetofOptions when rows are a relation's, so `.select()` can pick columns. */
function returnsWithSetof({ fn, args }: SchemaFunction, shape: string, ctx: FunctionContext): string {
  const target = returnTableName(fn, ctx);
  const manyRows = fn.rows !== null && fn.rows > 1;
  const setof = (from: string, isOneToOne: boolean, isSetofReturn: boolean) =>
    `SetofOptions: {\nfrom: ${JSON.stringify(from)}\nto: ${JSON.stringify(target)}\nisOneToOne: ${isOneToOne}\nisSetofReturn: ${isSetofReturn}\n}`;
  let options = target ? setof('*', !manyRows, fn.returnsSet) : '';
  const rowArgType = args.length === 1 ? ctx.relationTypes.get(args[0]!.typeId) : undefined;
  if (rowArgType && target) options = fn.returnsSet ? setof(rowArgType.format, !manyRows, true) : setof(rowArgType.format, true, false);
  // A ROWS 1 estimate makes a set one row only when SetofOptions lets postgrest-js restore the array for plain calls.
  const array = fn.returnsSet && !(!manyRows && target !== null) ? '[]' : '';
  return `${shape}${array}\n${options}`;
}

function typeName(typeId: number, ctx: FunctionContext): string {
  return ctx.typesById.get(typeId)?.name ?? 'unknown';
}

const notChosen = (candidates: string) =>
  `Could not choose the best candidate function between: ${candidates}. Try renaming the parameters or the function itself in the database so function overloading can be resolved`;

/** The PGRST203 PostgREST would answer for this overload, if it cannot be told apart from another. */
function overloadConflict(schema: string, overloads: SchemaFunction[], current: SchemaFunction, ctx: FunctionContext): string | null {
  if (overloads.length <= 1) return null;
  const others = overloads.filter((o) => o !== current);
  const { fn, inArgs } = current;
  if (inArgs.length === 0) {
    const other = others.find((o) => o.inArgs.length === 1 && o.inArgs[0]!.name === '' && o.inArgs[0]!.hasDefault);
    if (other) return notChosen(`${schema}.${fn.name}(), ${schema}.${fn.name}( => ${typeName(other.fn.returnTypeId, ctx)})`);
  }
  if (inArgs.length === 1 && inArgs[0]!.name !== '') {
    const [arg] = inArgs as [FunctionArg];
    const clashing = others.filter((o) => o.inArgs.length === 1 && o.inArgs[0]!.name === arg.name && o.inArgs[0]!.typeId !== arg.typeId);
    if (clashing.length > 0) {
      const all = [current, ...clashing].sort((a, b) => (a.inArgs[0]?.typeId ?? 0) - (b.inArgs[0]?.typeId ?? 0));
      const list = all.map((o) => `${schema}.${fn.name}(${o.inArgs.map((a) => `${a.name} => ${typeName(a.typeId, ctx)}`).join(', ')})`).join(', ');
      return notChosen(list);
    }
  }
  return null;
}

/** `{ Args; Returns; SetofOptions? }` of one overload. */
function signature(schema: string, overloads: SchemaFunction[], current: SchemaFunction, ctx: FunctionContext): string {
  const { fn, inArgs } = current;
  const args = inArgs.length === 0 ? 'never' : `{ ${inArgs.map((a) => `${JSON.stringify(a.name)}${a.hasDefault ? '?' : ''}: ${tsTypeOfId(schema, a.typeId, ctx)}`).join(', ')} }`;
  const conflict = overloadConflict(schema, overloads, current, ctx);
  const rowArgWithoutTarget = inArgs.length === 1 && inArgs[0]!.name === '' && ctx.relationTypes.has(inArgs[0]!.typeId) && !returnTableName(fn, ctx);
  const error = conflict ?? (rowArgWithoutTarget
    ? `the function ${schema}.${fn.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`
    : null);
  const shape = error === null ? returnShape(schema, current, ctx) : `{ error: true } & ${JSON.stringify(error)}`;
  return `{ Args: ${args}; Returns: ${returnsWithSetof(current, shape, ctx)} }`;
}

/** The members of `Functions`, one per name, overloads as a union ordered by their argument lists. */
export function functionMembers(schema: string, functions: SchemaFunction[], ctx: FunctionContext): string[] {
  const byName = new Map<string, SchemaFunction[]>();
  for (const f of functions) byName.set(f.fn.name, [...(byName.get(f.fn.name) ?? []), f]);
  return [...byName].map(([name, overloads]) => {
    const ordered = [...overloads].sort((a, b) => compareNames(a.fn.argumentTypes, b.fn.argumentTypes) || compareNames(a.fn.returnType, b.fn.returnType));
    return `${JSON.stringify(name)}:\n${ordered.map((o) => signature(schema, ordered, o, ctx)).join(' |\n')}`;
  });
}
