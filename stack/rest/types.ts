// The request language of PostgREST v12 once parsed: select trees, filters, logic trees, order terms.

export interface JsonOperation {
  arrow: '->' | '->>';
  /** A key (`->name`) or an array index (`->0`, `->-1`, kept with its sign as PostgREST does). */
  key?: string;
  index?: string;
}

export interface Field {
  name: string;
  jsonPath: JsonOperation[];
}

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'max' | 'min';

export type SelectItem =
  /** `cast` applies to the column, `aggregateCast` to the aggregate's result (`col::text.count()::int`). */
  | { kind: 'field'; field: Field; alias?: string; cast?: string; aggregate?: AggregateFunction; aggregateCast?: string }
  | { kind: 'relation'; name: string; alias?: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] }
  | { kind: 'spread'; name: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] };

export type SimpleOperator = 'neq' | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj';
export type QuantOperator = 'eq' | 'gte' | 'gt' | 'lte' | 'lt' | 'like' | 'ilike' | 'match' | 'imatch';
export type FtsOperator = 'fts' | 'plfts' | 'phfts' | 'wfts';
export type TrileanValue = 'null' | 'unknown' | 'true' | 'false';

export type Operation =
  | { kind: 'simple'; op: SimpleOperator; value: string }
  | { kind: 'quant'; op: QuantOperator; quantifier?: 'any' | 'all'; value: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: TrileanValue }
  | { kind: 'isdistinct'; value: string }
  | { kind: 'fts'; op: FtsOperator; language?: string; value: string };

export interface OpExpr {
  negated: boolean;
  operation: Operation;
}

export interface Filter {
  field: Field;
  expr: OpExpr;
}

export type LogicTree =
  | { kind: 'filter'; filter: Filter }
  | { kind: 'expr'; negated: boolean; op: 'and' | 'or'; children: LogicTree[] };

export interface OrderTerm {
  /** Set for `order=relation(column)`: ordering by a to-one embedded resource. */
  relation?: string;
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** An inclusive row interval; `upper < lower` is empty (`limit=0` gives `[0, -1]`). */
export interface RowRange {
  lower: number;
  upper: number;
}

export type EmbedPath = string[];

export interface QueryParams {
  /** Query parameters sorted by name, re-encoded, for Content-Location. */
  canonical: string;
  select: SelectItem[];
  filters: Array<{ path: EmbedPath; filter: Filter }>;
  /** `name=value` pairs without an operator: arguments of a GET RPC call. */
  rpcArgs: Array<[string, string]>;
  logic: Array<{ path: EmbedPath; tree: LogicTree }>;
  order: Array<{ path: EmbedPath; terms: OrderTerm[] }>;
  /** `limit` and `offset` values that are integers, keyed by embed path joined with '.' ('' is the top level). */
  limits: Map<string, number>;
  offsets: Map<string, number>;
  columns?: string[];
  onConflict?: string[];
  /** Names of all filter parameters (root and embedded), as written. */
  filterFields: Set<string>;
}
