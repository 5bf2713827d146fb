/**
 * The SQL sandbox of the database server: the query is parsed by the real PostgreSQL parser
 * (libpg-query) and admitted only when it is exactly one read-only SELECT (WITH … SELECT,
 * VALUES and set operations included) over the business tables and its own CTEs, calling only
 * functions on an allowlist. Everything else — SET, COPY, PREPARE, LISTEN, DO, EXPLAIN,
 * transaction control, data-modifying CTEs, SELECT INTO, row locks, catalog and statistics
 * relations, casts to catalog types — is refused before Postgres sees it. The read-only
 * transaction, the reader role and RLS stay behind it.
 */
import { loadModule, parseSync } from 'libpg-query';
import { DemoServerError } from '../errors.js';

/** Functions a query may call: aggregates, window functions, text, number and date helpers. */
const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // aggregates
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'bool_and',
  'bool_or',
  'every',
  'string_agg',
  'array_agg',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
  // window functions
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  // numbers
  'abs',
  'round',
  'trunc',
  'floor',
  'ceil',
  'ceiling',
  'sign',
  'mod',
  'power',
  'sqrt',
  'div',
  'greatest',
  'least',
  'width_bucket',
  'random',
  // text
  'lower',
  'upper',
  'initcap',
  'length',
  'char_length',
  'substring',
  'substr',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'lpad',
  'rpad',
  'concat',
  'concat_ws',
  'replace',
  'split_part',
  'left',
  'right',
  'position',
  'strpos',
  'starts_with',
  'reverse',
  'repeat',
  'format',
  'to_char',
  'to_number',
  'regexp_replace',
  'regexp_match',
  'regexp_matches',
  'md5',
  'unaccent',
  // dates and times
  'now',
  'date_trunc',
  'date_part',
  'extract',
  'to_date',
  'to_timestamp',
  'age',
  'make_date',
  'make_interval',
  'make_timestamp',
  'date_bin',
  'isodow',
  'justify_days',
  'timezone',
  // json and arrays
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'to_json',
  'to_jsonb',
  'array_length',
  'cardinality',
  'unnest',
  'array_to_string',
  'string_to_array',
  // series (bounded by the row cap and the statement timeout)
  'generate_series',
  // null handling that parses as a call
  'nullif',
  'coalesce',
]);

/** Casts that would read the catalog (`'pg_authid'::regclass`). */
const CATALOG_TYPES = new Set([
  'regclass',
  'regproc',
  'regprocedure',
  'regoper',
  'regoperator',
  'regtype',
  'regnamespace',
  'regrole',
  'regconfig',
  'regdictionary',
  'regcollation',
  'oid',
]);

/** Statement kinds that may appear inside an admitted SELECT (sub-selects are SelectStmt). */
const STATEMENT = /Stmt$/;

let loaded: Promise<void> | undefined;

/** Loads the parser's WebAssembly once per process (before the first {@link guardSelect}). */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

function refuse(message: string): DemoServerError {
  return new DemoServerError('query_refused', `sql: ${message}`, { field: 'sql' });
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const value = (item as { String?: { sval?: unknown } } | null)?.String?.sval;
    return typeof value === 'string' ? [value.toLowerCase()] : [];
  });
}

/**
 * Admits `sql` or throws: `invalid_argument` with Postgres's own message when it does not
 * parse, `query_refused` naming what is not allowed otherwise. `tables` are the relations a
 * query may read.
 */
export function guardSelect(sql: string, tables: ReadonlySet<string>): void {
  let parsed: { stmts?: Array<{ stmt?: Record<string, unknown> }> };
  try {
    parsed = parseSync(sql) as typeof parsed;
  } catch (error) {
    throw new DemoServerError(
      'invalid_argument',
      `sql: ${error instanceof Error ? error.message : String(error)}`,
      { field: 'sql' },
    );
  }
  const statements = parsed.stmts ?? [];
  if (statements.length !== 1) {
    throw refuse(`send exactly one statement (got ${statements.length})`);
  }
  const root = statements[0]?.stmt ?? {};
  const kind = Object.keys(root)[0] ?? 'nothing';
  if (kind !== 'SelectStmt') {
    throw refuse(
      `${kind
        .replace(/Stmt$/, '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toUpperCase()} statements are not allowed; send one read-only SELECT`,
    );
  }
  // The CTE names of the whole query: references to them are not tables.
  const ctes = new Set<string>();
  // Iterative, so a deeply nested query cannot exhaust the stack.
  const stack: unknown[] = [root];
  const pending: Array<Record<string, unknown>> = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (STATEMENT.test(key) && key !== 'SelectStmt') {
        throw refuse(`${key.replace(/Stmt$/, '')} is not allowed inside a query`);
      }
      if (key === 'intoClause') throw refuse('SELECT INTO is not allowed');
      if (key === 'lockingClause')
        throw refuse('row locks (FOR UPDATE / FOR SHARE) are not allowed');
      if (key === 'CommonTableExpr') {
        const name = (value as { ctename?: unknown }).ctename;
        if (typeof name === 'string') ctes.add(name.toLowerCase());
      }
      if (key === 'RangeVar' || key === 'FuncCall' || key === 'TypeCast') {
        pending.push({ [key]: value });
      }
      stack.push(value);
    }
  }
  for (const item of pending) {
    if (item.RangeVar) {
      const range = item.RangeVar as { relname?: string; schemaname?: string };
      const relation = (range.relname ?? '').toLowerCase();
      const schema = range.schemaname?.toLowerCase();
      if (schema !== undefined && schema !== 'public') {
        throw refuse(`schema "${schema}" is not readable; use the business tables`);
      }
      // Every catalog relation reachable without a schema starts with pg_.
      if (relation.startsWith('pg_')) throw refuse(`"${relation}" is not readable`);
      if (!tables.has(relation) && !(schema === undefined && ctes.has(relation))) {
        throw refuse(`unknown table "${relation}"; readable: ${[...tables].join(', ')}`);
      }
    } else if (item.FuncCall) {
      const qualified = names((item.FuncCall as { funcname?: unknown }).funcname);
      const name = qualified.at(-1) ?? '';
      const schema = qualified.length > 1 ? qualified[0] : undefined;
      if ((schema !== undefined && schema !== 'pg_catalog') || !ALLOWED_FUNCTIONS.has(name)) {
        throw refuse(`function "${qualified.join('.')}" is not allowed`);
      }
    } else if (item.TypeCast) {
      const type = names((item.TypeCast as { typeName?: { names?: unknown } }).typeName?.names).at(
        -1,
      );
      if (type !== undefined && CATALOG_TYPES.has(type)) {
        throw refuse(`casts to ${type} are not allowed`);
      }
    }
  }
}
