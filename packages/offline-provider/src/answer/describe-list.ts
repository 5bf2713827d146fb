import { splitIdentifier } from '../language/words';
import { type AnswerContext, localNoun } from './answer-context';
import { formatScalar, inline, money } from './format';
import { isRecord } from './read-outcome';

const SOURCE_FIELDS = ['path', 'url', 'uri', 'link', 'file', 'source'];
const SNIPPET_FIELDS = ['snippet', 'excerpt', 'highlight', 'summary'];
/** Fields that may sit next to the list in a list result without making it a record. */
const LIST_META = new Set([
  'count',
  'total',
  'totalCount',
  'rowCount',
  'totalAmount',
  'truncated',
  'hasMore',
  'nextCursor',
  'cursor',
  'page',
  'pageSize',
  'limit',
  'offset',
  'query',
  'columns',
  'fields',
  'sql',
  'durationMs',
  'source',
  'matched',
]);
const ARRAY_KEYS = [
  'items',
  'results',
  'rows',
  'data',
  'records',
  'entries',
  'documents',
  'docs',
  'hits',
  'matches',
];
const GENERIC_KEYS = new Set(['items', 'data', 'results', 'rows', 'records', 'entries', 'hits']);
const MAX_ROWS = 5;

/** The rows of a list result, with the key that held them and what the source said about more. */
export interface FoundRows {
  rows: unknown[];
  key?: string;
  total?: number;
  truncated?: boolean;
}

/** The list in a result: the value itself, or its one array field beside list metadata. */
export function findRows(value: unknown): FoundRows | undefined {
  if (Array.isArray(value)) return { rows: value };
  if (!isRecord(value)) return undefined;
  const total = [value.totalCount, value.count, value.rowCount, value.matched, value.total].find(
    (item): item is number => typeof item === 'number' && Number.isInteger(item),
  );
  const preferred = ARRAY_KEYS.find((key) => Array.isArray(value[key]));
  const key = preferred ?? Object.keys(value).find((name) => Array.isArray(value[name]));
  if (!key) return undefined;
  // A record that merely contains a list (a summary with `byMonth`) is described as a record;
  // a list with a little context (`tenantId`, `ranking`) is still a list.
  const others = Object.keys(value).filter((name) => name !== key && !LIST_META.has(name));
  if (
    others.length > 2 ||
    others.some((name) => typeof value[name] === 'object' && value[name] !== null)
  ) {
    return undefined;
  }
  return {
    rows: value[key] as unknown[],
    key,
    ...(total !== undefined ? { total } : {}),
    ...(value.truncated === true || value.hasMore === true ? { truncated: true } : {}),
  };
}

/** The English plural naming the rows: the list's key, documents, or the tool's last word. */
function nounFor(toolName: string, found: FoundRows): string {
  if (found.key && !GENERIC_KEYS.has(found.key)) {
    const word = splitIdentifier(found.key).at(-1);
    if (word) return word.endsWith('s') ? word : `${word}s`;
  }
  const first = found.rows.find(isRecord);
  if (first && typeof first.title === 'string' && SOURCE_FIELDS.some((field) => field in first)) {
    return 'documents';
  }
  const word = splitIdentifier(toolName.split('__').pop() ?? toolName)
    .slice(1)
    .at(-1);
  if (!word) return 'results';
  if (word === 'docs' || word === 'doc') return 'documents';
  if (word === 'query') return 'rows';
  return word.endsWith('s') ? word : `${word}s`;
}

function moneyField(
  rows: Record<string, unknown>[],
  fields: readonly string[],
): string | undefined {
  return fields.find((field) => rows.some((row) => typeof row[field] === 'number'));
}

function currencyOf(rows: Record<string, unknown>[]): string | undefined {
  const values = new Set(
    rows.map((row) => row.currency).filter((value): value is string => typeof value === 'string'),
  );
  return values.size === 1 ? [...values][0] : undefined;
}

function timeRange(start: string, end: unknown): string {
  const from = formatScalar(start, 'en', []);
  const until = typeof end === 'string' ? end.match(/T(\d{2}:\d{2})/)?.[1] : undefined;
  return until ? `${from}–${until}` : from;
}

function describeRow(
  row: unknown,
  moneyName: string | undefined,
  currency: string | undefined,
  context: AnswerContext,
): string {
  const { fields } = context;
  const language = context.language.code;
  const scalar = (value: unknown) => formatScalar(value, language, fields.labels);
  if (!isRecord(row)) return scalar(row);
  const parts: string[] = [];
  const source = SOURCE_FIELDS.find((field) => typeof row[field] === 'string');
  const title = fields.labels.find((field) => row[field] !== undefined && row[field] !== null);
  const titleText = title ? scalar(row[title]) : '';
  if (typeof row.start === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(row.start)) {
    parts.push(timeRange(row.start, row.end));
  }
  const idField = fields.ids.find(
    (field) =>
      field !== title && (typeof row[field] === 'string' || typeof row[field] === 'number'),
  );
  if (idField && title !== 'title' && title !== 'name') parts.push(scalar(row[idField]));
  if (title) parts.push(title === 'title' && source ? `**${titleText}**` : titleText);
  if (!title || !fields.parties.includes(title)) {
    const party = fields.parties
      .map((field) => row[field])
      .find((value) => value !== undefined && value !== null);
    if (party !== undefined) {
      const name = scalar(party);
      if (!titleText.includes(name)) parts.push(name);
    }
  }
  for (const field of fields.details) {
    if (typeof row[field] === 'string') parts.push(inline(row[field] as string));
  }
  if (moneyName && typeof row[moneyName] === 'number') {
    const rowCurrency = typeof row.currency === 'string' ? row.currency : undefined;
    const unit = typeof row.unit === 'string' ? ` / ${row.unit}` : '';
    parts.push(`${money(row[moneyName] as number, currency ?? rowCurrency, language)}${unit}`);
  }
  if (typeof row.status === 'string') parts.push(inline(row.status));
  const dateField = fields.dates.find((field) => typeof row[field] === 'string');
  if (dateField) parts.push(scalar(row[dateField]));
  if (source) {
    const line = typeof row.line === 'number' ? `:${row.line}` : '';
    parts.push(`(${inline(row[source] as string)}${line})`);
  }
  if (parts.length === 0) {
    const scalars = Object.entries(row).filter(
      ([, value]) => value === null || typeof value !== 'object',
    );
    return scalars
      .slice(0, 4)
      .map(([key, value]) => `${key}: ${scalar(value)}`)
      .join(', ');
  }
  return [...new Set(parts)].join(' · ');
}

/**
 * A list result: the count, the sum of its money field, a status breakdown, the first rows,
 * and the top row's snippet.
 */
export function describeList(toolName: string, found: FoundRows, context: AnswerContext): string {
  const phrases = context.language.answers;
  const language = context.language.code;
  const noun = nounFor(toolName, found);
  const { rows } = found;
  if (rows.length === 0) return phrases.none(localNoun(noun, context), toolName);
  const lines: string[] = [];
  let head = phrases.found(rows.length, localNoun(noun, context, rows.length));
  if (found.total !== undefined && found.total > rows.length) head += phrases.ofTotal(found.total);
  else if (found.truncated) head += phrases.truncated;
  lines.push(head);
  const records = rows.filter(isRecord);
  const field = moneyField(records, context.fields.money);
  const currency = currencyOf(records);
  if (field && records.length > 1) {
    const sum = records.reduce(
      (total, row) => total + (typeof row[field] === 'number' ? (row[field] as number) : 0),
      0,
    );
    lines.push(phrases.total(money(Math.round(sum * 100) / 100, currency, language)));
  }
  const statuses = new Map<string, number>();
  for (const row of records) {
    if (typeof row.status === 'string') {
      statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
    }
  }
  if (statuses.size > 1 && statuses.size <= 6) {
    lines.push(
      phrases.byStatus(
        [...statuses.entries()].map(([status, count]) => `${count} ${inline(status)}`).join(', '),
      ),
    );
  }
  lines.push('');
  for (const row of rows.slice(0, MAX_ROWS)) {
    lines.push(`- ${describeRow(row, field, currency, context)}`);
  }
  if (rows.length > MAX_ROWS) lines.push('', phrases.more(MAX_ROWS));
  const top = records[0];
  const snippetField = top && SNIPPET_FIELDS.find((name) => typeof top[name] === 'string');
  if (top && snippetField) {
    const snippet = inline(String(top[snippetField]));
    lines.push('', `> ${snippet.length > 300 ? `${snippet.slice(0, 297)}…` : snippet}`);
  }
  return lines.join('\n');
}
