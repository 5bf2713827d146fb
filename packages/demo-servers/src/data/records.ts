/** Record-level rules of the demo books: ids, CVR numbers, phone numbers, invoice lines and totals. */
import { fromOre, toOre, VAT_RATE } from '../core/money.js';
import type { Random } from '../core/random.js';
import type { Tenant } from '../tenants.js';
import type { InvoiceLine, ProductUnit } from './model.js';

/** The id of a tenant's record: its prefix, the kind and a zero-padded number. */
export function recordId(tenant: Pick<Tenant, 'idPrefix'>, kind: string, number: number): string {
  const width = kind === 'cus' || kind === 'prd' ? 3 : 4;
  return `${tenant.idPrefix}${kind}_${String(number).padStart(width, '0')}`;
}

/** Generates a CVR number with a valid modulus-11 check digit. */
export function createCvr(random: Random): string {
  const weights = [2, 7, 6, 5, 4, 3, 2, 1];
  for (;;) {
    const digits = [random.integer(1, 9)];
    for (let index = 1; index < 7; index += 1) digits.push(random.integer(0, 9));
    const sum = digits.reduce((total, digit, index) => total + digit * (weights[index] ?? 0), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check < 10) return [...digits, check].join('');
  }
}

/** True when `cvr` is 8 digits with a valid modulus-11 check. */
export function isValidCvr(cvr: string): boolean {
  if (!/^\d{8}$/.test(cvr)) return false;
  const weights = [2, 7, 6, 5, 4, 3, 2, 1];
  const sum = [...cvr].reduce(
    (total, digit, index) => total + Number(digit) * (weights[index] ?? 0),
    0,
  );
  return sum % 11 === 0;
}

export function createPhone(random: Random): string {
  const digits = [random.integer(2, 9), ...Array.from({ length: 7 }, () => random.integer(0, 9))];
  return `+45 ${digits.slice(0, 2).join('')} ${digits.slice(2, 4).join('')} ${digits.slice(4, 6).join('')} ${digits.slice(6, 8).join('')}`;
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'oe')
    .replaceAll('å', 'aa')
    .replace(/&/g, 'og')
    .replace(/\b(aps|a\/s|i\/s|p\/s)\b/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Builds an invoice line with amounts rounded to øre so that net + vat = total exactly. */
export function createInvoiceLine(input: {
  description: string;
  productId: string | null;
  quantity: number;
  unit: ProductUnit;
  unitPrice: number;
}): InvoiceLine {
  const net = Math.round(input.quantity * toOre(input.unitPrice));
  const vat = Math.round(net * VAT_RATE);
  return { ...input, net: fromOre(net), vat: fromOre(vat), total: fromOre(net + vat) };
}

/** Sums lines into invoice totals (exact in øre). */
export function sumLines(lines: readonly InvoiceLine[]): {
  net: number;
  vat: number;
  total: number;
} {
  const net = lines.reduce((sum, line) => sum + toOre(line.net), 0);
  const vat = lines.reduce((sum, line) => sum + toOre(line.vat), 0);
  return { net: fromOre(net), vat: fromOre(vat), total: fromOre(net + vat) };
}
