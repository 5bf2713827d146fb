/** The shapes of the demo data: organizations, customers, products, invoices, calendar, vault. */
import type { TENANTS } from '../tenants.js';

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
