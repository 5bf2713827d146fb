import { addDays, atHour, toIsoDate } from './core/dates.js';
import { fromOre, toOre, VAT_RATE } from './core/money.js';
import { createRandom, type Random } from './core/random.js';
import { VAULT_DOCUMENT_SEEDS } from './vault/vault-seed.js';

import { TENANTS, type Tenant } from './tenants.js';

export { TENANTS, type Tenant };

/** The seed used when none is given. */
export const DEFAULT_SEED = 20_251_024;

/** Invoice lifecycle status; `overdue` is a sent invoice past its due date with a balance. */
export type InvoiceStatus = 'draft' | 'approved' | 'sent' | 'overdue' | 'paid';

/** Unit a product is sold in. */
export type ProductUnit = 'hour' | 'piece' | 'm2' | 'month';

/** A tenant's own company details. */
export interface Organization {
  id: string;
  name: string;
  cvr: string;
  street: string;
  zipcode: string;
  city: string;
  country: 'DK';
  email: string;
  phone: string;
  currency: 'DKK';
  vatRate: number;
  fiscalYearStart: string;
  bankAccount: string;
}

/** A customer (contact) of a tenant. */
export interface Customer {
  id: string;
  tenantId: string;
  name: string;
  type: 'company' | 'person';
  cvr: string | null;
  email: string;
  phone: string;
  street: string;
  zipcode: string;
  city: string;
  country: 'DK';
  paymentTermsDays: number;
  createdAt: string;
}

/** A product or service a tenant sells; prices exclude VAT. */
export interface Product {
  id: string;
  tenantId: string;
  productNumber: string;
  name: string;
  description: string;
  unit: ProductUnit;
  unitPrice: number;
  vatRate: number;
}

/** One invoice line; amounts in DKK, `net + vat = total`. */
export interface InvoiceLine {
  description: string;
  productId: string | null;
  quantity: number;
  unit: ProductUnit;
  unitPrice: number;
  net: number;
  vat: number;
  total: number;
}

/** An invoice; `net + vat = total`, `total - paid = balance`. */
export interface Invoice {
  id: string;
  tenantId: string;
  number: string;
  customerId: string;
  customerName: string;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  currency: 'DKK';
  lines: InvoiceLine[];
  net: number;
  vat: number;
  total: number;
  paid: number;
  balance: number;
  approvedAt: string | null;
  sentAt: string | null;
}

/** A payment recorded against an invoice. */
export interface Payment {
  id: string;
  tenantId: string;
  invoiceId: string;
  date: string;
  amount: number;
  method: 'bank_transfer' | 'mobilepay' | 'card';
}

/** A person working for a tenant (the calendar's assignees). */
export interface Employee {
  id: string;
  tenantId: string;
  name: string;
  role: 'cleaner' | 'team_lead' | 'sales';
}

/** A calendar event (RenOS booking calendar); times are ISO datetimes in UTC. */
export interface CalendarEvent {
  id: string;
  tenantId: string;
  title: string;
  type: 'cleaning' | 'meeting' | 'inspection';
  start: string;
  end: string;
  location: string;
  customerId: string | null;
  customerName: string | null;
  assignee: string;
  status: 'confirmed' | 'cancelled';
}

/** A sales row (database server). */
export interface Sale {
  id: string;
  tenantId: string;
  date: string;
  productId: string;
  productName: string;
  customerId: string;
  quantity: number;
  amount: number;
}

/** A service booking (database server). */
export interface Booking {
  id: string;
  tenantId: string;
  customerId: string;
  customerName: string;
  service: string;
  date: string;
  startTime: string;
  hours: number;
  status: 'booked' | 'completed' | 'cancelled';
  address: string;
}

/** A document in TekupVault. */
export interface VaultDocument {
  id: string;
  repository: string;
  path: string;
  title: string;
  content: string;
  tags: string[];
  updatedAt: string;
}

/** Everything the demo fleet starts with. */
export interface DemoData {
  seed: number;
  now: string;
  tenants: typeof TENANTS;
  organizations: Organization[];
  customers: Customer[];
  products: Product[];
  invoices: Invoice[];
  payments: Payment[];
  employees: Employee[];
  events: CalendarEvent[];
  sales: Sale[];
  bookings: Booking[];
  vaultDocuments: VaultDocument[];
}

/** Options for {@link createDemoData}. */
export interface DemoDataOptions {
  /** PRNG seed. @default DEFAULT_SEED */
  seed?: number;
  /** Reference "now" that relative dates hang off. @default new Date() */
  now?: Date;
}

const ZIP_CITIES = [
  ['1050', 'København K'],
  ['2100', 'København Ø'],
  ['2200', 'København N'],
  ['2000', 'Frederiksberg'],
  ['8000', 'Aarhus C'],
  ['5000', 'Odense C'],
  ['9000', 'Aalborg'],
  ['7100', 'Vejle'],
  ['6000', 'Kolding'],
  ['4000', 'Roskilde'],
  ['8600', 'Silkeborg'],
  ['3400', 'Hillerød'],
] as const;

const STREETS = [
  'Vestergade',
  'Østergade',
  'Nørregade',
  'Søndergade',
  'Strandvejen',
  'Skovvej',
  'Kirkevej',
  'Møllevej',
  'Havnegade',
  'Bakkevej',
  'Engvej',
  'Algade',
];

const COMPANY_CUSTOMERS = [
  'Nordlys Rengøring ApS',
  'Fjordblik Ejendomme A/S',
  'Bageriet Hansen I/S',
  'Københavns Tandklinik ApS',
  'Vestergaard VVS ApS',
  'Skovly Børnehave',
  'Aarhus Kontorfællesskab ApS',
  'Møller & Søn Tømrer ApS',
  'Havnens Café ApS',
  'Lindholm Advokater P/S',
  'Grøn Vask ApS',
  'Dansk Solenergi A/S',
  'Odense Boligforening',
  'Klinik Østerbro ApS',
  'Nørrebro Cykler ApS',
  'Frederiksberg Revision ApS',
  'Jensens Fisk ApS',
  'Silkeborg Fysioterapi ApS',
];

const PERSON_CUSTOMERS = ['Anne Sørensen', 'Lars Nielsen', 'Sofie Kristensen', 'Mikkel Poulsen'];

const NORDLYS_COMPANIES = [
  'Boligselskabet Vibo',
  'Hotel Kronborg ApS',
  'Roskilde Gymnasium',
  'Café Sukkertoppen ApS',
  'Tandlæge Bech ApS',
];

const NORDLYS_PEOPLE = ['Kirsten Mortensen'];

const TEKUP_EMPLOYEES: Array<[string, Employee['role']]> = [
  ['Jonas Mortensen', 'team_lead'],
  ['Camilla Holm', 'cleaner'],
  ['Rasmus Dahl', 'cleaner'],
  ['Ida Lund', 'sales'],
];

const NORDLYS_EMPLOYEES: Array<[string, Employee['role']]> = [
  ['Sabine Krogh', 'team_lead'],
  ['Ahmad Rahimi', 'cleaner'],
  ['Louise Thygesen', 'cleaner'],
];

/** The id of a tenant's record: its prefix, the kind and a zero-padded number. */
export function recordId(tenant: Pick<Tenant, 'idPrefix'>, kind: string, number: number): string {
  const width = kind === 'cus' || kind === 'prd' ? 3 : 4;
  return `${tenant.idPrefix}${kind}_${String(number).padStart(width, '0')}`;
}

type ProductSeed = [name: string, description: string, unit: ProductUnit, unitPrice: number];

const TEKUP_PRODUCTS: ProductSeed[] = [
  ['Vinduespudsning', 'Window cleaning, inside and out, per hour', 'hour', 349],
  ['Erhvervsrengøring', 'Office cleaning, per hour', 'hour', 389],
  ['Flytterengøring', 'Move-out cleaning of a flat or house, per m²', 'm2', 45],
  ['Tæpperens', 'Deep carpet cleaning, per m²', 'm2', 62],
  ['Hovedrengøring', 'Spring cleaning of a home, per hour', 'hour', 429],
  ['RenOS abonnement', 'RenOS booking and route planning, per month', 'month', 1495],
  ['Billy integration', 'Setup of Billy.dk accounting integration', 'piece', 4500],
  ['MCP konsulenttime', 'Consulting on MCP servers and AI assistants, per hour', 'hour', 1150],
  ['Rengøringsmidler', 'Eco-labelled cleaning supplies kit', 'piece', 275],
  ['Gulvbehandling', 'Floor polishing and oiling, per m²', 'm2', 89],
];

const NORDLYS_PRODUCTS: ProductSeed[] = [
  ['Trappevask', 'Stairwell cleaning, per visit', 'piece', 650],
  ['Kontorrengøring', 'Office cleaning, per hour', 'hour', 365],
  ['Vinduespudsning', 'Window cleaning, per hour', 'hour', 329],
  ['Hotelrengøring', 'Hotel room turnover, per room', 'piece', 210],
];

/** Generates a CVR number with a valid modulus-11 check digit. */
function createCvr(random: Random): string {
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

function createPhone(random: Random): string {
  const digits = [random.integer(2, 9), ...Array.from({ length: 7 }, () => random.integer(0, 9))];
  return `+45 ${digits.slice(0, 2).join('')} ${digits.slice(2, 4).join('')} ${digits.slice(4, 6).join('')} ${digits.slice(6, 8).join('')}`;
}

function slug(name: string): string {
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

function pad(value: number, width: number): string {
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

function createOrganization(
  random: Random,
  tenant: Tenant,
  place: readonly [string, string],
): Organization {
  return {
    id: tenant.id,
    name: tenant.name,
    cvr: createCvr(random),
    street: `${random.pick(STREETS)} ${random.integer(1, 120)}`,
    zipcode: place[0],
    city: place[1],
    country: 'DK',
    email: `faktura@${slug(tenant.name)}.dk`,
    phone: createPhone(random),
    currency: 'DKK',
    vatRate: VAT_RATE,
    fiscalYearStart: '01-01',
    bankAccount: `${random.integer(1000, 9999)} ${random.integer(1_000_000, 9_999_999)}${random.integer(100, 999)}`,
  };
}

function createCustomers(
  random: Random,
  tenant: Tenant,
  companies: readonly string[],
  people: readonly string[],
  now: Date,
): Customer[] {
  const names = [
    ...companies.map((name) => ({ name, type: 'company' as const })),
    ...people.map((name) => ({ name, type: 'person' as const })),
  ];
  return names.map(({ name, type }, index) => {
    const [zipcode, city] = random.pick(ZIP_CITIES);
    const local = type === 'person' ? name.split(' ')[0]?.toLowerCase() : 'kontakt';
    return {
      id: recordId(tenant, 'cus', index + 1),
      tenantId: tenant.id,
      name,
      type,
      cvr: type === 'company' ? createCvr(random) : null,
      email: `${slug(local ?? 'kontakt')}@${type === 'company' ? `${slug(name)}.dk` : 'mail.dk'}`,
      phone: createPhone(random),
      street: `${random.pick(STREETS)} ${random.integer(1, 140)}`,
      zipcode,
      city,
      country: 'DK',
      paymentTermsDays: type === 'company' ? random.pick([14, 30, 30, 8]) : 8,
      createdAt: toIsoDate(addDays(now, -random.integer(200, 900))),
    };
  });
}

function createProducts(tenant: Tenant, seeds: ProductSeed[]): Product[] {
  return seeds.map(([name, description, unit, unitPrice], index) => ({
    id: recordId(tenant, 'prd', index + 1),
    tenantId: tenant.id,
    productNumber: `${100 + index + 1}`,
    name,
    description,
    unit,
    unitPrice,
    vatRate: VAT_RATE,
  }));
}

function createEmployees(tenant: Tenant, seeds: Array<[string, Employee['role']]>): Employee[] {
  return seeds.map(([name, role], index) => ({
    id: recordId(tenant, 'emp', index + 1),
    tenantId: tenant.id,
    name,
    role,
  }));
}

function quantityFor(random: Random, unit: ProductUnit): number {
  if (unit === 'hour') return random.integer(2, 24) / 2;
  if (unit === 'm2') return random.integer(20, 180);
  if (unit === 'month') return random.integer(1, 3);
  return random.integer(1, 4);
}

function createInvoices(
  random: Random,
  tenant: Tenant,
  firstNumber: number,
  count: number,
  customers: Customer[],
  products: Product[],
  now: Date,
): { invoices: Invoice[]; payments: Payment[] } {
  const invoices: Invoice[] = [];
  const payments: Payment[] = [];
  const ages = Array.from({ length: count }, () => random.integer(0, 180)).sort((a, b) => b - a);
  ages.forEach((age, index) => {
    const customer = random.pick(customers);
    const issue = addDays(now, -age);
    const due = addDays(issue, customer.paymentTermsDays);
    const lineCount = random.integer(1, 3);
    const chosen = new Set<Product>();
    while (chosen.size < lineCount) chosen.add(random.pick(products));
    const lines = [...chosen].map((product) =>
      createInvoiceLine({
        description: product.name,
        productId: product.id,
        quantity: quantityFor(random, product.unit),
        unit: product.unit,
        unitPrice: product.unitPrice,
      }),
    );
    const totals = sumLines(lines);
    const id = recordId(tenant, 'inv', index + 1);
    let status: InvoiceStatus;
    if (age <= 2) status = random.chance(0.5) ? 'draft' : 'approved';
    else status = 'sent';
    let paidOre = 0;
    if (status === 'sent') {
      const payProbability = age > 60 ? 0.9 : age > 20 ? 0.6 : 0.25;
      if (random.chance(payProbability)) {
        const partial = random.chance(0.12);
        paidOre = partial ? Math.round(toOre(totals.total) / 2) : toOre(totals.total);
        const payDay = addDays(
          issue,
          Math.min(age, random.integer(3, customer.paymentTermsDays + 5)),
        );
        payments.push({
          id: recordId(tenant, 'pay', payments.length + 1),
          tenantId: tenant.id,
          invoiceId: id,
          date: toIsoDate(payDay),
          amount: fromOre(paidOre),
          method: random.pick(['bank_transfer', 'bank_transfer', 'mobilepay', 'card'] as const),
        });
      }
    }
    const balanceOre = toOre(totals.total) - paidOre;
    if (status === 'sent' && balanceOre === 0) status = 'paid';
    else if (status === 'sent' && toIsoDate(due) < toIsoDate(now)) status = 'overdue';
    invoices.push({
      id,
      tenantId: tenant.id,
      number: String(firstNumber + index),
      customerId: customer.id,
      customerName: customer.name,
      issueDate: toIsoDate(issue),
      dueDate: toIsoDate(due),
      status,
      currency: 'DKK',
      lines,
      ...totals,
      paid: fromOre(paidOre),
      balance: fromOre(balanceOre),
      approvedAt: status === 'draft' ? null : atHour(issue, 9).toISOString(),
      sentAt: status === 'draft' || status === 'approved' ? null : atHour(issue, 10).toISOString(),
    });
  });
  return { invoices, payments };
}

const EVENT_TITLES: Record<CalendarEvent['type'], string[]> = {
  cleaning: ['Vinduespudsning', 'Erhvervsrengøring', 'Hovedrengøring', 'Flytterengøring'],
  meeting: ['Kundemøde', 'Tilbudsgennemgang', 'Teammøde'],
  inspection: ['Kvalitetstjek', 'Besigtigelse'],
};

const NORDLYS_EVENT_TITLES: Record<CalendarEvent['type'], string[]> = {
  cleaning: ['Trappevask', 'Kontorrengøring', 'Hotelrengøring', 'Vinduespudsning'],
  meeting: ['Opstartsmøde', 'Kundebesøg'],
  inspection: ['Kvalitetskontrol'],
};

function createEvents(
  random: Random,
  tenant: Tenant,
  customers: Customer[],
  employees: Employee[],
  titles: Record<CalendarEvent['type'], string[]>,
  now: Date,
): CalendarEvent[] {
  const events: Omit<CalendarEvent, 'id'>[] = [];
  const assignees = employees.map((employee) => employee.name);
  for (let offset = -7; offset <= 14; offset += 1) {
    const day = addDays(now, offset);
    const weekday = day.getUTCDay();
    const isTomorrow = offset === 1;
    if (!isTomorrow && (weekday === 0 || weekday === 6)) continue;
    const wanted = isTomorrow ? 4 : random.integer(1, 3);
    let cursor = isTomorrow ? 8 : 8 + random.integer(0, 2) / 2;
    for (let count = 0; count < wanted; count += 1) {
      const duration = random.pick([1, 1.5, 2, 2]);
      if (cursor + duration > 16) break;
      const type =
        count === 0 && random.chance(0.3)
          ? 'meeting'
          : random.chance(0.15)
            ? 'inspection'
            : 'cleaning';
      const customer = random.pick(customers);
      events.push({
        tenantId: tenant.id,
        title: `${random.pick(titles[type])} – ${customer.name}`,
        type,
        start: atHour(day, cursor).toISOString(),
        end: atHour(day, cursor + duration).toISOString(),
        location:
          type === 'meeting' && random.chance(0.5)
            ? 'Online (Teams)'
            : `${customer.street}, ${customer.zipcode} ${customer.city}`,
        customerId: customer.id,
        customerName: customer.name,
        assignee: random.pick(assignees),
        status: 'confirmed',
      });
      cursor += duration + random.pick(isTomorrow ? [0, 0.5] : [0, 0.5, 1, 1.5]);
    }
  }
  return events.map((event, index) => ({ id: recordId(tenant, 'evt', index + 1), ...event }));
}

function createSales(
  random: Random,
  tenant: Tenant,
  count: number,
  customers: Customer[],
  products: Product[],
  now: Date,
): Sale[] {
  return Array.from({ length: count }, (_, index) => {
    const product = random.pick(products);
    const quantity = quantityFor(random, product.unit);
    return {
      id: recordId(tenant, 'sal', index + 1),
      tenantId: tenant.id,
      date: toIsoDate(addDays(now, -random.integer(0, 364))),
      productId: product.id,
      productName: product.name,
      customerId: random.pick(customers).id,
      quantity,
      amount: fromOre(Math.round(quantity * toOre(product.unitPrice))),
    };
  }).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/**
 * The booking a calendar event stands for: cleaning jobs for a customer are bookings (the
 * database's `bookings` table), meetings and inspections are not. One definition, used for the
 * seed and for every later calendar change, so the two never disagree.
 */
export function bookingFromEvent(event: CalendarEvent, now: Date): Booking | undefined {
  if (event.type !== 'cleaning' || event.customerId === null) return undefined;
  const start = new Date(event.start);
  return {
    id: event.id.replace(/evt_/, 'bkg_'),
    tenantId: event.tenantId,
    customerId: event.customerId,
    customerName: event.customerName ?? '',
    service: event.title.split(' – ')[0] ?? event.title,
    date: toIsoDate(start),
    startTime: event.start.slice(11, 16),
    hours: (new Date(event.end).getTime() - start.getTime()) / 3_600_000,
    status: event.status === 'cancelled' ? 'cancelled' : start < now ? 'completed' : 'booked',
    address: event.location,
  };
}

/**
 * Builds the deterministic demo data the fleet starts with: the same `seed` and `now`
 * always give the same data, so tests can assert on it. Each organization has its own
 * customers, products, invoices, payments, employees, calendar, sales and bookings.
 * @example const data = createDemoData({ seed: 1, now: new Date('2026-03-02T09:00:00Z') });
 */
export function createDemoData(options: DemoDataOptions = {}): DemoData {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? new Date();
  const random = createRandom(seed);
  const [tekup, nordlys] = TENANTS;
  const organizations = [
    createOrganization(random, tekup, ['8000', 'Aarhus C']),
    createOrganization(random, nordlys, ['4000', 'Roskilde']),
  ];
  const tekupCustomers = createCustomers(random, tekup, COMPANY_CUSTOMERS, PERSON_CUSTOMERS, now);
  const nordlysCustomers = createCustomers(random, nordlys, NORDLYS_COMPANIES, NORDLYS_PEOPLE, now);
  const tekupProducts = createProducts(tekup, TEKUP_PRODUCTS);
  const nordlysProducts = createProducts(nordlys, NORDLYS_PRODUCTS);
  const tekupEmployees = createEmployees(tekup, TEKUP_EMPLOYEES);
  const nordlysEmployees = createEmployees(nordlys, NORDLYS_EMPLOYEES);
  const tekupBilling = createInvoices(random, tekup, 1001, 40, tekupCustomers, tekupProducts, now);
  const nordlysBilling = createInvoices(
    random,
    nordlys,
    5001,
    10,
    nordlysCustomers,
    nordlysProducts,
    now,
  );
  const tekupEvents = createEvents(
    random,
    tekup,
    tekupCustomers,
    tekupEmployees,
    EVENT_TITLES,
    now,
  );
  const sales = [
    ...createSales(random, tekup, 160, tekupCustomers, tekupProducts, now),
    ...createSales(random, nordlys, 40, nordlysCustomers, nordlysProducts, now),
  ];
  const vaultDocuments = VAULT_DOCUMENT_SEEDS.map((document, index) => ({
    id: `doc_${pad(index + 1, 3)}`,
    ...document,
    updatedAt: atHour(addDays(now, -random.integer(0, 90)), random.integer(8, 17)).toISOString(),
  }));
  // Drawn last, so the first organization's data stays what it was before Nordlys had a calendar.
  const nordlysEvents = createEvents(
    random,
    nordlys,
    nordlysCustomers,
    nordlysEmployees,
    NORDLYS_EVENT_TITLES,
    now,
  );
  const events = [...tekupEvents, ...nordlysEvents];
  return {
    seed,
    now: now.toISOString(),
    tenants: TENANTS,
    organizations,
    customers: [...tekupCustomers, ...nordlysCustomers],
    products: [...tekupProducts, ...nordlysProducts],
    invoices: [...tekupBilling.invoices, ...nordlysBilling.invoices],
    payments: [...tekupBilling.payments, ...nordlysBilling.payments],
    employees: [...tekupEmployees, ...nordlysEmployees],
    events,
    sales,
    bookings: events.flatMap((event) => bookingFromEvent(event, now) ?? []),
    vaultDocuments,
  };
}
