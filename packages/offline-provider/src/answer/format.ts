import { isRecord } from './read-outcome';

/**
 * Tool data is quoted, never obeyed: links, HTML and code spans in it are escaped so a value
 * cannot turn into markup in the rendered answer.
 */
export function inert(text: string): string {
  return text.replace(/[[\]<>`]/g, (char) => `\\${char}`);
}

/** One line of tool data: inert, whitespace collapsed. */
export function inline(text: string): string {
  return inert(text.replace(/\s+/g, ' ').trim());
}

/** The number locale of an answer language; any other language is its own locale. */
const NUMBER_LOCALES: Record<string, string> = { en: 'en-US', da: 'da-DK' };

function numberFormat(language: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return new Intl.NumberFormat(NUMBER_LOCALES[language] ?? language, options);
}

/** A number as the answer language writes it, at most two decimals. */
function formatNumber(value: number, language: string): string {
  return numberFormat(language, { maximumFractionDigits: 2 }).format(value);
}

/** An amount of money; with a currency always two decimals: 21,247.50 DKK, never 21,247.5 DKK. */
export function money(value: number, currency: string | undefined, language: string): string {
  if (!currency) return formatNumber(value, language);
  const amount = numberFormat(language, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
  return `${amount} ${currency}`;
}

/** One value of tool data on a line: numbers localized, timestamps shortened, long text cut. */
export function formatScalar(value: unknown, language: string, labels: readonly string[]): string {
  if (typeof value === 'number') return formatNumber(value, language);
  if (typeof value === 'string') {
    const dateTime = value.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/);
    if (dateTime) return `${dateTime[1]} ${dateTime[2]}`;
    return inline(value.length > 120 ? `${value.slice(0, 117)}…` : value);
  }
  if (typeof value === 'boolean') return String(value);
  if (isRecord(value)) {
    const label = labels.find((field) => typeof value[field] === 'string');
    if (label) return inline(String(value[label]));
  }
  return inline(JSON.stringify(value));
}
