/** The zod schemas of billy's tool inputs and outputs, shared by its tool modules. */
import { z } from 'zod';

export const invoiceStatusSchema = z.enum(['draft', 'approved', 'sent', 'overdue', 'paid']);
export const isoDate = z.iso.date();
export const limitSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('Maximum number of rows to return (1–100, default 25)');

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['company', 'person']),
  cvr: z.string().nullable(),
  email: z.string(),
  phone: z.string(),
  street: z.string(),
  zipcode: z.string(),
  city: z.string(),
  country: z.string(),
  paymentTermsDays: z.number(),
  createdAt: z.string(),
});

export const productSchema = z.object({
  id: z.string(),
  productNumber: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.enum(['hour', 'piece', 'm2', 'month']),
  unitPrice: z.number().describe('DKK excluding VAT'),
  vatRate: z.number(),
});

export const invoiceSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  status: invoiceStatusSchema,
  currency: z.literal('DKK'),
  net: z.number(),
  vat: z.number(),
  total: z.number(),
  balance: z.number(),
});

const invoiceLineSchema = z.object({
  description: z.string(),
  productId: z.string().nullable(),
  quantity: z.number(),
  unit: z.string(),
  unitPrice: z.number(),
  net: z.number(),
  vat: z.number(),
  total: z.number(),
});

export const paymentSchema = z.object({
  id: z.string(),
  invoiceId: z.string(),
  date: z.string(),
  amount: z.number(),
  method: z.enum(['bank_transfer', 'mobilepay', 'card']),
});

export const invoiceDetailSchema = invoiceSummarySchema.extend({
  customerId: z.string(),
  lines: z.array(invoiceLineSchema),
  paid: z.number(),
  approvedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  payments: z.array(paymentSchema),
});

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  cvr: z.string(),
  street: z.string(),
  zipcode: z.string(),
  city: z.string(),
  country: z.string(),
  email: z.string(),
  phone: z.string(),
  currency: z.string(),
  vatRate: z.number(),
  fiscalYearStart: z.string(),
  bankAccount: z.string(),
});

export const invoiceIdInput = z
  .string()
  .min(1)
  .describe('Invoice id (e.g. "inv_0012") or invoice number (e.g. "1012")');

/** Payment terms in days (0–90) as a tool input. */
export function paymentTermsInput(description: string) {
  return z.number().int().min(0).max(90).optional().describe(description);
}
