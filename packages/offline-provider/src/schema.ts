import { splitIdentifier } from './language/words';
import type { Vocabulary } from './lexicon/vocabulary';

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

/** Whether a parameter holds a date (by format or by name). */
export function isDateParam(name: string, schema: JsonSchema, vocabulary: Vocabulary): boolean {
  const role = paramRole(name, schema, vocabulary);
  return role === 'date' || role === 'date-start' || role === 'date-end';
}

/**
 * Guesses what a parameter is for. The lexicon's parameter words name most roles; the words
 * of formats (email, sql, id, number, path, file, min, max) are the same in every schema.
 */
export function paramRole(name: string, schema: JsonSchema, vocabulary: Vocabulary): ParamRole {
  const words = splitIdentifier(name);
  const type = primaryType(schema);
  const has = (set: ReadonlySet<string>) => words.some((word) => set.has(word));
  const roles = vocabulary.parameters;
  const format = schema.format ?? '';
  const numeric = type === 'number' || type === 'integer';
  if (type === 'string' || format.startsWith('date')) {
    if (format === 'email' || words.includes('email')) return 'email';
    if (format === 'date' || format === 'date-time' || has(roles.date)) {
      if (has(roles.start)) return 'date-start';
      if (has(roles.end)) return 'date-end';
      return 'date';
    }
    if (words.length === 1 && has(roles.start)) return 'date-start';
    if (words.length === 1 && has(roles.end)) return 'date-end';
    if (words.includes('sql') || words.includes('statement')) return 'sql';
    if (has(roles.query)) return 'query';
    if (words.at(-1) === 'id' || words.includes('number')) return 'id';
    if (words.at(-1) === 'path' || words.at(-1) === 'file') return 'path';
    if (has(roles.name)) return 'name';
    if (has(roles.product)) return 'product';
    if (has(roles.description)) return 'description';
    return 'other';
  }
  if (numeric) {
    const amount = has(roles.amount);
    if (amount && (words.includes('min') || words.includes('minimum') || has(roles.start))) {
      return 'min-amount';
    }
    if (amount && (words.includes('max') || words.includes('maximum') || has(roles.end))) {
      return 'max-amount';
    }
    if (amount) return 'amount';
    if (has(roles.quantity)) return 'quantity';
    if (has(roles.limit)) return 'limit';
    if (words.at(-1) === 'id') return 'id';
    return 'other';
  }
  return 'other';
}
