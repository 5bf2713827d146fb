import { splitIdentifier } from './text';

/** The parts of a JSON Schema the offline model reads (anything else is ignored). */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  [key: string]: unknown;
}

function asSchema(value: unknown): JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonSchema)
    : {};
}

/** The object variants of a schema: itself, or each `anyOf`/`oneOf` branch merged with it. */
export function schemaVariants(schema: JsonSchema): JsonSchema[] {
  const root = asSchema(schema);
  const merged = mergeAllOf(root);
  const branches = merged.oneOf ?? merged.anyOf;
  if (!branches || branches.length === 0) return [merged];
  return branches.map((branch) => {
    const value = mergeAllOf(asSchema(branch));
    return {
      ...merged,
      ...value,
      properties: { ...merged.properties, ...value.properties },
      required: [...(merged.required ?? []), ...(value.required ?? [])],
      anyOf: undefined,
      oneOf: undefined,
    };
  });
}

function mergeAllOf(schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  let result: JsonSchema = { ...schema, allOf: undefined };
  for (const part of schema.allOf.map(asSchema)) {
    result = {
      ...result,
      ...part,
      properties: { ...result.properties, ...part.properties },
      required: [...(result.required ?? []), ...(part.required ?? [])],
    };
  }
  return result;
}

/** Every property of a schema, including those of its variants. */
export function schemaProperties(schema: JsonSchema): Map<string, JsonSchema> {
  const result = new Map<string, JsonSchema>();
  for (const variant of schemaVariants(schema)) {
    for (const [name, property] of Object.entries(variant.properties ?? {})) {
      if (!result.has(name)) result.set(name, asSchema(property));
    }
  }
  return result;
}

/** The primary JSON type of a property (`["string","null"]` → `string`). */
export function primaryType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (schema.type) return schema.type;
  if (schema.enum && schema.enum.length > 0) return typeof schema.enum[0];
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  const branch = (schema.anyOf ?? schema.oneOf)?.map(asSchema).find((item) => item.type !== 'null');
  return branch ? primaryType(branch) : undefined;
}

/** What a parameter is for, guessed from its name, type and format. */
export type ParamRole =
  | 'date-start'
  | 'date-end'
  | 'date'
  | 'name'
  | 'query'
  | 'sql'
  | 'limit'
  | 'min-amount'
  | 'max-amount'
  | 'amount'
  | 'quantity'
  | 'description'
  | 'product'
  | 'id'
  | 'email'
  | 'path'
  | 'other';

const START_WORDS = new Set(['from', 'start', 'since', 'after', 'begin', 'fra', 'starts']);
const END_WORDS = new Set(['to', 'end', 'until', 'before', 'till', 'til', 'ends', 'through']);
const DATE_WORDS = new Set(['date', 'day', 'when', 'dato', 'due', 'on', 'at']);
const NAME_WORDS = new Set([
  'customer',
  'client',
  'contact',
  'company',
  'name',
  'kunde',
  'recipient',
  'attendee',
  'attendees',
  'person',
  'vendor',
  'supplier',
  'organization',
  'organisation',
  'account',
  'debtor',
  'who',
]);
const QUERY_WORDS = new Set([
  'query',
  'q',
  'search',
  'term',
  'terms',
  'keywords',
  'keyword',
  'question',
  'prompt',
  'topic',
  'phrase',
  'text',
  'pattern',
]);
const AMOUNT_WORDS = new Set([
  'amount',
  'total',
  'price',
  'value',
  'sum',
  'cost',
  'rate',
  'balance',
  'beløb',
]);
const QUANTITY_WORDS = new Set(['quantity', 'qty', 'hours', 'units', 'antal', 'hour']);
const DESCRIPTION_WORDS = new Set([
  'description',
  'note',
  'notes',
  'memo',
  'subject',
  'summary',
  'title',
  'comment',
  'details',
  'message',
  'body',
]);
const PRODUCT_WORDS = new Set(['product', 'item', 'sku', 'article', 'service']);
const LIMIT_WORDS = new Set(['limit', 'top', 'size', 'pagesize', 'n', 'max', 'maxresults', 'k']);

/** Whether a parameter holds a date (by format or by name). */
export function isDateParam(name: string, schema: JsonSchema): boolean {
  const role = paramRole(name, schema);
  return role === 'date' || role === 'date-start' || role === 'date-end';
}

/** Guesses what a parameter is for. */
export function paramRole(name: string, schema: JsonSchema): ParamRole {
  const words = splitIdentifier(name);
  const type = primaryType(schema);
  const has = (set: Set<string>) => words.some((word) => set.has(word));
  const format = schema.format ?? '';
  const numeric = type === 'number' || type === 'integer';
  if (type === 'string' || format.startsWith('date')) {
    if (format === 'email' || words.includes('email')) return 'email';
    if (format === 'date' || format === 'date-time' || has(DATE_WORDS) || words.includes('dato')) {
      if (has(START_WORDS)) return 'date-start';
      if (has(END_WORDS)) return 'date-end';
      return 'date';
    }
    if (words.length === 1 && has(START_WORDS)) return 'date-start';
    if (words.length === 1 && has(END_WORDS)) return 'date-end';
    if (words.includes('sql') || words.includes('statement')) return 'sql';
    if (has(QUERY_WORDS)) return 'query';
    if (words.at(-1) === 'id' || words.includes('number')) return 'id';
    if (words.at(-1) === 'path' || words.at(-1) === 'file') return 'path';
    if (has(NAME_WORDS)) return 'name';
    if (has(PRODUCT_WORDS)) return 'product';
    if (has(DESCRIPTION_WORDS)) return 'description';
    return 'other';
  }
  if (numeric) {
    const amount = has(AMOUNT_WORDS) || words.includes('unit');
    if (amount && (words.includes('min') || words.includes('minimum') || has(START_WORDS))) {
      return 'min-amount';
    }
    if (amount && (words.includes('max') || words.includes('maximum') || has(END_WORDS))) {
      return 'max-amount';
    }
    if (amount) return 'amount';
    if (has(QUANTITY_WORDS) || words.includes('count')) return 'quantity';
    if (has(LIMIT_WORDS)) return 'limit';
    if (words.at(-1) === 'id') return 'id';
    return 'other';
  }
  return 'other';
}
