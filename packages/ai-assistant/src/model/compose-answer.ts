import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { splitIdentifier } from './text';

/** The two languages the offline model writes. */
export type OfflineLanguage = 'en' | 'da';

/** A tool result as it arrives in the prompt, with the arguments the call used. */
export interface ToolOutcome {
  toolName: string;
  input?: unknown;
  output: LanguageModelV4ToolResultOutput;
}

type Outcome =
  | { kind: 'denied'; reason?: string }
  | { kind: 'error'; message: string }
  | { kind: 'data'; value: unknown }
  | { kind: 'text'; text: string };

const LABEL_FIELDS = [
  'title',
  'name',
  'customerName',
  'customer',
  'summary',
  'subject',
  'invoiceNumber',
  'number',
  'description',
  'label',
  'text',
  'id',
];
const MONEY_FIELDS = [
  'total',
  'amount',
  'totalAmount',
  'grandTotal',
  'amountDue',
  'balance',
  'sum',
  'price',
  'unitPrice',
  'value',
];
const DATE_FIELDS = ['date', 'issueDate', 'dueDate', 'startsAt', 'createdAt', 'when'];
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
const MAX_ROWS = 5;
const DENIAL = /\b(denied|rejected|declined|not approved|afvist|afviste|afvise)\b/i;
const SDK_DENIAL_TEXT = 'Tool call execution denied.';

const PHRASES = {
  en: {
    denied: (tool: string, reason?: string) =>
      `The tool ${tool} was not run: you rejected it${reason ? ` (${reason})` : ''}.`,
    error: (tool: string, message: string) => `The tool ${tool} failed: ${message}`,
    none: (noun: string, tool: string) => `No ${noun} found (${tool}).`,
    found: (count: number, noun: string) =>
      `Found ${count} ${count === 1 ? singular(noun) : noun}.`,
    ofTotal: (total: number) => ` The source reports ${total} in total.`,
    total: (value: string) => `Total: ${value}.`,
    byStatus: (parts: string) => `By status: ${parts}.`,
    more: (shown: number) => `Showing the first ${shown}.`,
    truncated: ' More matched than were returned; ask for a higher limit to see them.',
    returned: (tool: string) => `${tool} returned:`,
    created: (noun: string) => `Created the ${noun}:`,
    empty: (tool: string) => `${tool} finished without returning any data.`,
    noResult: 'The tool did not return a result.',
  },
  da: {
    denied: (tool: string, reason?: string) =>
      `Værktøjet ${tool} blev ikke kørt: du afviste det${reason ? ` (${reason})` : ''}.`,
    error: (tool: string, message: string) => `Værktøjet ${tool} fejlede: ${message}`,
    none: (noun: string, tool: string) => `Ingen ${noun} fundet (${tool}).`,
    found: (count: number, noun: string) => `Fandt ${count} ${noun}.`,
    ofTotal: (total: number) => ` Kilden angiver ${total} i alt.`,
    total: (value: string) => `I alt: ${value}.`,
    byStatus: (parts: string) => `Fordelt på status: ${parts}.`,
    more: (shown: number) => `Viser de første ${shown}.`,
    truncated: ' Flere passede, end der blev returneret; bed om en højere grænse for at se dem.',
    returned: (tool: string) => `${tool} returnerede:`,
    created: (noun: string) => `Oprettede ${noun}:`,
    empty: (tool: string) => `${tool} blev kørt uden at returnere data.`,
    noResult: 'Værktøjet returnerede ikke noget resultat.',
  },
} as const;

/** English plural → Danish [singular, plural]. */
const DANISH_NOUNS: Record<string, [string, string]> = {
  invoices: ['faktura', 'fakturaer'],
  events: ['begivenhed', 'begivenheder'],
  documents: ['dokument', 'dokumenter'],
  customers: ['kunde', 'kunder'],
  products: ['produkt', 'produkter'],
  rows: ['række', 'rækker'],
  results: ['resultat', 'resultater'],
  notes: ['note', 'noter'],
  slots: ['ledig tid', 'ledige tider'],
  tables: ['tabel', 'tabeller'],
  matches: ['fund', 'fund'],
  payments: ['betaling', 'betalinger'],
  repositories: ['repository', 'repositories'],
};

function singular(noun: string): string {
  if (noun.endsWith('ies')) return `${noun.slice(0, -3)}y`;
  if (noun.endsWith('s')) return noun.slice(0, -1);
  return noun;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function tryJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.message === 'string') return value.message;
  if (isRecord(value) && isRecord(value.error) && typeof value.error.message === 'string') {
    return value.error.message;
  }
  return JSON.stringify(value);
}

/** Unwraps an MCP `CallToolResult` (content + structuredContent + isError) when it is one. */
function fromValue(value: unknown): Outcome {
  if (isRecord(value) && Array.isArray(value.content)) {
    const text = value.content
      .map((item) => (isRecord(item) && typeof item.text === 'string' ? item.text : ''))
      .filter(Boolean)
      .join('\n');
    if (value.isError === true) return { kind: 'error', message: text || 'unknown error' };
    if (value.structuredContent !== undefined)
      return { kind: 'data', value: value.structuredContent };
    const parsed = tryJson(text);
    if (parsed !== undefined) return { kind: 'data', value: parsed };
    return { kind: 'text', text };
  }
  if (isRecord(value) && (value.denied === true || value.rejected === true)) {
    return {
      kind: 'denied',
      ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
    };
  }
  if (typeof value === 'string') {
    const parsed = tryJson(value);
    return parsed === undefined ? { kind: 'text', text: value } : fromValue(parsed);
  }
  return { kind: 'data', value };
}

function toOutcome(output: LanguageModelV4ToolResultOutput): Outcome {
  switch (output.type) {
    case 'execution-denied':
      return { kind: 'denied', ...(output.reason ? { reason: output.reason } : {}) };
    case 'error-text':
      // The AI SDK turns a UI part in state `output-denied` into error text, so a rejection
      // arrives here as words rather than as `execution-denied`.
      if (DENIAL.test(output.value)) {
        const reason = output.value.match(/\breason:\s*([\s\S]+)$/i)?.[1]?.trim();
        if (reason) return { kind: 'denied', reason };
        if (output.value === SDK_DENIAL_TEXT || /denied this tool call/i.test(output.value)) {
          return { kind: 'denied' };
        }
        return { kind: 'denied', reason: output.value };
      }
      return { kind: 'error', message: output.value };
    case 'error-json':
      return { kind: 'error', message: textOf(output.value) };
    case 'text':
      return fromValue(output.value);
    case 'json':
      return fromValue(output.value);
    case 'content':
      return fromValue(
        output.value
          .map((part) => (part.type === 'text' ? part.text : ''))
          .filter(Boolean)
          .join('\n'),
      );
    default:
      return { kind: 'text', text: '' };
  }
}

interface FoundRows {
  rows: unknown[];
  key?: string;
  total?: number;
  truncated?: boolean;
}

function findRows(value: unknown): FoundRows | undefined {
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

const GENERIC_KEYS = new Set(['items', 'data', 'results', 'rows', 'records', 'entries', 'hits']);

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

function localNoun(noun: string, language: OfflineLanguage, count = 2): string {
  if (language === 'da') {
    const forms = DANISH_NOUNS[noun];
    return forms ? (count === 1 ? forms[0] : forms[1]) : noun;
  }
  return count === 1 ? singular(noun) : noun;
}

function formatNumber(value: number, language: OfflineLanguage): string {
  return new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-US', {
    maximumFractionDigits: 2,
  }).format(value);
}

/**
 * Tool data is quoted, never obeyed: links, HTML and code spans in it are escaped so a value
 * cannot turn into markup in the rendered answer.
 */
function inert(text: string): string {
  return text.replace(/[[\]<>`]/g, (char) => `\\${char}`);
}

/** One line of tool data: inert, whitespace collapsed. */
function inline(text: string): string {
  return inert(text.replace(/\s+/g, ' ').trim());
}

function formatScalar(value: unknown, language: OfflineLanguage): string {
  if (typeof value === 'number') return formatNumber(value, language);
  if (typeof value === 'string') {
    const dateTime = value.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/);
    if (dateTime) return `${dateTime[1]} ${dateTime[2]}`;
    return inline(value.length > 120 ? `${value.slice(0, 117)}…` : value);
  }
  if (typeof value === 'boolean') return String(value);
  if (isRecord(value)) {
    const label = LABEL_FIELDS.find((field) => typeof value[field] === 'string');
    if (label) return inline(String(value[label]));
  }
  return inline(JSON.stringify(value));
}

function moneyField(rows: Record<string, unknown>[]): string | undefined {
  return MONEY_FIELDS.find((field) => rows.some((row) => typeof row[field] === 'number'));
}

function currencyOf(rows: Record<string, unknown>[]): string | undefined {
  const values = new Set(
    rows.map((row) => row.currency).filter((value): value is string => typeof value === 'string'),
  );
  return values.size === 1 ? [...values][0] : undefined;
}

function money(value: number, currency: string | undefined, language: OfflineLanguage): string {
  if (!currency) return formatNumber(value, language);
  // Amounts with a currency always show two decimals: 21,247.50 DKK, never 21,247.5 DKK.
  const amount = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
  return `${amount} ${currency}`;
}

function timeRange(start: string, end: unknown): string {
  const from = formatScalar(start, 'en');
  const until = typeof end === 'string' ? end.match(/T(\d{2}:\d{2})/)?.[1] : undefined;
  return until ? `${from}–${until}` : from;
}

function describeRow(
  row: unknown,
  moneyName: string | undefined,
  currency: string | undefined,
  language: OfflineLanguage,
): string {
  if (!isRecord(row)) return formatScalar(row, language);
  const parts: string[] = [];
  const source = SOURCE_FIELDS.find((field) => typeof row[field] === 'string');
  const title = LABEL_FIELDS.find((field) => row[field] !== undefined && row[field] !== null);
  const titleText = title ? formatScalar(row[title], language) : '';
  if (typeof row.start === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(row.start)) {
    parts.push(timeRange(row.start, row.end));
  }
  const idField = ['invoiceNumber', 'number', 'id'].find(
    (field) =>
      field !== title && (typeof row[field] === 'string' || typeof row[field] === 'number'),
  );
  if (idField && title !== 'title' && title !== 'name') {
    parts.push(formatScalar(row[idField], language));
  }
  if (title) parts.push(title === 'title' && source ? `**${titleText}**` : titleText);
  if (title !== 'customer' && title !== 'customerName') {
    const customer = row.customerName ?? row.customer;
    if (customer !== undefined && customer !== null) {
      const name = formatScalar(customer, language);
      if (!titleText.includes(name)) parts.push(name);
    }
  }
  if (typeof row.assignee === 'string') parts.push(inline(row.assignee));
  for (const field of ['city', 'email']) {
    if (typeof row[field] === 'string') parts.push(inline(row[field] as string));
  }
  if (moneyName && typeof row[moneyName] === 'number') {
    const rowCurrency = typeof row.currency === 'string' ? row.currency : undefined;
    const unit = typeof row.unit === 'string' ? ` / ${row.unit}` : '';
    parts.push(`${money(row[moneyName] as number, currency ?? rowCurrency, language)}${unit}`);
  }
  if (typeof row.status === 'string') parts.push(inline(row.status));
  const dateField = DATE_FIELDS.find((field) => typeof row[field] === 'string');
  if (dateField) parts.push(formatScalar(row[dateField], language));
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
      .map(([key, value]) => `${key}: ${formatScalar(value, language)}`)
      .join(', ');
  }
  return [...new Set(parts)].join(' · ');
}

function describeList(toolName: string, found: FoundRows, language: OfflineLanguage): string {
  const phrases = PHRASES[language];
  const noun = nounFor(toolName, found);
  const { rows } = found;
  if (rows.length === 0) return phrases.none(localNoun(noun, language), toolName);
  const lines: string[] = [];
  let head = phrases.found(rows.length, localNoun(noun, language, rows.length));
  if (found.total !== undefined && found.total > rows.length) head += phrases.ofTotal(found.total);
  else if (found.truncated) head += phrases.truncated;
  lines.push(head);
  const records = rows.filter(isRecord);
  const field = moneyField(records);
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
    if (typeof row.status === 'string')
      statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
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
    lines.push(`- ${describeRow(row, field, currency, language)}`);
  }
  if (rows.length > MAX_ROWS) lines.push('', phrases.more(MAX_ROWS));
  const top = records[0];
  const snippetField = top && SNIPPET_FIELDS.find((field) => typeof top[field] === 'string');
  if (top && snippetField) {
    const snippet = inline(String(top[snippetField]));
    lines.push('', `> ${snippet.length > 300 ? `${snippet.slice(0, 297)}…` : snippet}`);
  }
  return lines.join('\n');
}

const RECORD_FIELDS = [
  'number',
  'invoiceNumber',
  'id',
  'title',
  'name',
  'customerName',
  'customer',
  'status',
  'start',
  'end',
  'issueDate',
  'dueDate',
  'date',
  'total',
  'amount',
  'balance',
  'net',
  'vat',
];

function describeRecord(
  toolName: string,
  record: Record<string, unknown>,
  language: OfflineLanguage,
): string {
  const phrases = PHRASES[language];
  const words = splitIdentifier(toolName.split('__').pop() ?? toolName);
  const creates = ['create', 'add', 'new', 'opret', 'book'].includes(words[0] ?? '');
  const noun = words.slice(1).join(' ') || 'record';
  const head = creates
    ? phrases.created(language === 'da' ? localNoun(`${noun}s`, language, 1) : noun)
    : phrases.returned(toolName);
  // `{ invoice: { … } }`: describe the one record inside.
  const keys = Object.keys(record);
  const inner = keys.length === 1 ? record[keys[0] ?? ''] : undefined;
  const value = isRecord(inner) ? inner : record;
  const currency = typeof value.currency === 'string' ? value.currency : undefined;
  const scalarKeys = Object.keys(value).filter((key) => {
    const item = value[key];
    return item === null || typeof item !== 'object' || isRecord(item);
  });
  const ordered = [
    ...RECORD_FIELDS.filter((key) => scalarKeys.includes(key)),
    ...scalarKeys.filter((key) => !RECORD_FIELDS.includes(key) && key !== 'currency'),
  ];
  const lines = ordered.slice(0, 8).map((key) => {
    const item = value[key];
    const shown =
      typeof item === 'number' && (MONEY_FIELDS.includes(key) || key === 'net' || key === 'vat')
        ? money(item, currency, language)
        : formatScalar(item, language);
    return `- ${key}: ${shown}`;
  });
  for (const [key, item] of Object.entries(value).filter(([, item]) => Array.isArray(item))) {
    if (lines.length >= 10) break;
    lines.push(`- ${key}: ${(item as unknown[]).length}`);
  }
  return [head, ...lines].join('\n');
}

function describeOutcome(outcome: ToolOutcome, language: OfflineLanguage): string {
  const phrases = PHRASES[language];
  const result = toOutcome(outcome.output);
  switch (result.kind) {
    case 'denied':
      return phrases.denied(outcome.toolName, result.reason && inline(result.reason));
    case 'error':
      return phrases.error(outcome.toolName, inline(result.message) || 'unknown error');
    case 'text': {
      const text = result.text.trim();
      if (!text) return phrases.empty(outcome.toolName);
      return `${phrases.returned(outcome.toolName)}\n\n${inert(text.length > 800 ? `${text.slice(0, 797)}…` : text)}`;
    }
    case 'data': {
      const found = findRows(result.value);
      if (found) return describeList(outcome.toolName, found, language);
      if (isRecord(result.value)) return describeRecord(outcome.toolName, result.value, language);
      if (result.value === undefined || result.value === null)
        return phrases.empty(outcome.toolName);
      return `${phrases.returned(outcome.toolName)} ${formatScalar(result.value, language)}`;
    }
  }
}

/**
 * Writes a short, factual answer from tool results: counts, totals of money fields, a status
 * breakdown and the top rows for lists; titles and sources for documents; the fields of a
 * single record; and plain words for errors and rejections.
 */
export function composeAnswer(outcomes: readonly ToolOutcome[], language: OfflineLanguage): string {
  if (outcomes.length === 0) return PHRASES[language].noResult;
  return outcomes.map((outcome) => describeOutcome(outcome, language)).join('\n\n');
}
