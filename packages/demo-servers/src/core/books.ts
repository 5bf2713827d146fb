import type {
  CalendarEvent,
  Customer,
  DemoData,
  Employee,
  Invoice,
  Organization,
  Payment,
  Product,
  Tenant,
} from '../demo-data.js';
import { DemoServerError } from '../errors.js';
import { type MetaCarrier, readCaller } from './caller.js';

/** One organization's books: everything billy and calendar read and change for it. */
export interface TenantBooks {
  readonly tenant: Tenant;
  readonly organization: Organization;
  readonly customers: Customer[];
  readonly products: Product[];
  readonly invoices: Invoice[];
  readonly payments: Payment[];
  readonly employees: Employee[];
  readonly events: CalendarEvent[];
}

/** What changed in a tenant's books; the database's replica applies it. */
export type BooksChange =
  | { tenantId: string; kind: 'customer'; id: string }
  | { tenantId: string; kind: 'invoice'; id: string }
  | { tenantId: string; kind: 'payment'; id: string }
  | { tenantId: string; kind: 'event'; id: string };

/** Per-tenant books over one copy of the demo data, with a change feed. */
export interface Books {
  /** The books of the call's organization; throws `tenant_required` / `unknown_tenant`. */
  forCaller(extra: MetaCarrier | undefined): TenantBooks;
  /** The books of one organization, if it has any. */
  get(tenantId: string): TenantBooks | undefined;
  /** Every organization's books. */
  all(): readonly TenantBooks[];
  /** Announces a change after it was made, synchronously, in the order made. */
  changed(change: BooksChange): void;
  /** Hears every later change; returns the unsubscribe function. */
  subscribe(listener: (change: BooksChange) => void): () => void;
}

/** The tenant a call acts for, from the forwarded caller; refuses calls without one. */
export function requireTenantId(extra: MetaCarrier | undefined): string {
  const tenantId = readCaller(extra).tenantId;
  if (tenantId === undefined || tenantId === '') {
    throw new DemoServerError(
      'tenant_required',
      'caller: this server keeps separate books per organization and the call names none',
    );
  }
  return tenantId;
}

/**
 * Splits a deep copy of the demo data into per-tenant books. Nothing is shared between
 * tenants, so a tool that holds one tenant's books cannot reach another's records.
 */
export function createBooks(data: DemoData): Books {
  const copy = structuredClone(data);
  const byTenant = new Map<string, TenantBooks>();
  for (const tenant of copy.tenants) {
    const organization = copy.organizations.find((item) => item.id === tenant.id);
    if (!organization) continue;
    const own = <T extends { tenantId: string }>(items: T[]) =>
      items.filter((item) => item.tenantId === tenant.id);
    byTenant.set(tenant.id, {
      tenant,
      organization,
      customers: own(copy.customers),
      products: own(copy.products),
      invoices: own(copy.invoices),
      payments: own(copy.payments),
      employees: own(copy.employees),
      events: own(copy.events),
    });
  }
  const listeners = new Set<(change: BooksChange) => void>();
  const books: Books = {
    forCaller(extra) {
      const tenantId = requireTenantId(extra);
      const found = byTenant.get(tenantId);
      if (!found) {
        throw new DemoServerError(
          'unknown_tenant',
          'caller: the forwarded organization has no books on this server',
        );
      }
      return found;
    },
    get: (tenantId) => byTenant.get(tenantId),
    all: () => [...byTenant.values()],
    changed(change) {
      for (const listener of listeners) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return books;
}

const booksByData = new WeakMap<DemoData, Books>();

/**
 * The books of one demo data object. Every server started over the same object (billy,
 * calendar and the database's replica, in one fleet) shares them, like services over one
 * database: an invoice billy creates is what the database's `query` sees.
 */
export function booksFor(data: DemoData): Books {
  let books = booksByData.get(data);
  if (!books) {
    books = createBooks(data);
    booksByData.set(data, books);
  }
  return books;
}

/** The next free number of a tenant's record kind (ids like `ncus_007` → 8). */
export function nextNumber(items: readonly { id: string }[]): number {
  let highest = 0;
  for (const item of items) {
    const number = Number(/_(\d+)$/.exec(item.id)?.[1] ?? 0);
    if (number > highest) highest = number;
  }
  return highest + 1;
}
