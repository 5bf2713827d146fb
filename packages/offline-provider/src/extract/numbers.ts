import type { Vocabulary } from '../lexicon/vocabulary';

/** An amount of money the user mentioned, with what it bounds. */
export interface Amount {
  value: number;
  kind: 'min' | 'max' | 'unit' | 'exact';
  currency?: string;
}

/** A counted quantity ("10 hours of consulting"). */
export interface Quantity {
  value: number;
  unit: string;
  what?: string;
}

/** Reads a number written the English or the Danish way (`1.250,50`, `1,250.50`, `10.5`). */
export function parseNumber(raw: string): number | undefined {
  let text = raw.trim();
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) text = text.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  else if (/^\d+,\d+$/.test(text)) text = text.replace(',', '.');
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function amountKind(cue: string, vocabulary: Vocabulary): Amount['kind'] {
  if (vocabulary.atLeast.has(cue) || vocabulary.from.has(cue)) return 'min';
  if (vocabulary.atMost.has(cue) || vocabulary.upTo.has(cue)) return 'max';
  if (vocabulary.each.has(cue)) return 'unit';
  return 'exact';
}

/** Amounts: with a currency ("1.250 kr"), after a bound ("over 5000"), or a range. */
export function findAmounts(text: string, vocabulary: Vocabulary): Amount[] {
  const amounts: Amount[] = [];
  const lower = text.toLowerCase();
  const between = lower.match(vocabulary.amountRange);
  if (between) {
    const low = parseNumber(between[1] ?? '');
    const high = parseNumber(between[2] ?? '');
    if (low !== undefined) amounts.push({ value: low, kind: 'min' });
    if (high !== undefined) amounts.push({ value: high, kind: 'max' });
  }
  for (const match of lower.matchAll(vocabulary.amount)) {
    const [, rawCue = '', before, raw = '', after] = match;
    const cue = rawCue.replace(/\s+/g, ' ');
    const currency = before ?? after;
    if (!currency && !cue) continue;
    // A bare number is money only after a comparison ("over 5000"); "from 3" may be anything.
    const compares = vocabulary.atLeast.has(cue) || vocabulary.atMost.has(cue);
    if (!currency && !compares) continue;
    const value = parseNumber(raw);
    if (value === undefined) continue;
    const kind = amountKind(cue, vocabulary);
    if (between && kind !== 'unit') continue;
    amounts.push({ value, kind, ...(currency ? { currency: currency.replace(/\.$/, '') } : {}) });
  }
  return amounts;
}

/** Counted quantities with their unit and what they count ("3 stk. Widget"). */
export function findQuantities(text: string, vocabulary: Vocabulary): Quantity[] {
  const quantities: Quantity[] = [];
  for (const match of text.matchAll(vocabulary.quantity)) {
    const value = parseNumber(match[1] ?? '');
    if (value === undefined) continue;
    const what = (match[3] ?? '').trim();
    quantities.push({
      value,
      unit: (match[2] ?? '').toLowerCase(),
      ...(what && !vocabulary.fillers.has(what.toLowerCase()) ? { what } : {}),
    });
  }
  return quantities;
}
