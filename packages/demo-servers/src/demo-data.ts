import { addDays, atHour, toIsoDate } from './core/dates.js';
import { fromOre, toOre, VAT_RATE } from './core/money.js';
import { createRandom, type Random } from './core/random.js';
import { VAULT_DOCUMENT_SEEDS } from './vault/vault-seed.js';
import type {
  Booking,
  CalendarEvent,
  Customer,
  DemoData,
  DemoDataOptions,
  Employee,
  Invoice,
  InvoiceStatus,
  Organization,
  Payment,
  Product,
  ProductUnit,
  Sale,
} from './data/model.js';
import {
  createCvr,
  createInvoiceLine,
  createPhone,
  pad,
  recordId,
  slug,
  sumLines,
} from './data/records.js';
import {
  COMPANY_CUSTOMERS,
  EVENT_TITLES,
  NORDLYS_COMPANIES,
  NORDLYS_EMPLOYEES,
  NORDLYS_EVENT_TITLES,
  NORDLYS_PEOPLE,
  NORDLYS_PRODUCTS,
  PERSON_CUSTOMERS,
  type ProductSeed,
  STREETS,
  TEKUP_EMPLOYEES,
  TEKUP_PRODUCTS,
  ZIP_CITIES,
} from './data/seeds.js';
import { TENANTS, type Tenant } from './tenants.js';

export type * from './data/model.js';
export { createInvoiceLine, isValidCvr, recordId, sumLines } from './data/records.js';
export { TENANTS, type Tenant };

/** The seed used when none is given. */
export const DEFAULT_SEED = 20_251_024;

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
