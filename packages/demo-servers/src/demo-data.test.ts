import { describe, expect, it } from 'vitest';
import { toIsoDate } from './core/dates.js';
import { toOre } from './core/money.js';
import { createDemoData, isValidCvr, TENANTS } from './demo-data.js';

const now = new Date('2026-03-04T09:30:00Z');

describe('createDemoData', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(createDemoData({ seed: 7, now })).toEqual(createDemoData({ seed: 7, now }));
    expect(createDemoData({ seed: 8, now }).invoices).not.toEqual(
      createDemoData({ seed: 7, now }).invoices,
    );
  });

  it('holds both tenants, with Danish CVR numbers that pass modulus 11', () => {
    const data = createDemoData({ now });
    expect(data.organizations.map((organization) => organization.name)).toEqual(
      TENANTS.map((tenant) => tenant.name),
    );
    const cvrs = [
      ...data.organizations.map((item) => item.cvr),
      ...data.customers.flatMap((item) => (item.cvr ? [item.cvr] : [])),
    ];
    expect(cvrs.length).toBeGreaterThan(20);
    for (const cvr of cvrs) expect(isValidCvr(cvr)).toBe(true);
    expect(isValidCvr('12345678')).toBe(false);
    for (const tenant of TENANTS) {
      expect(data.customers.some((customer) => customer.tenantId === tenant.id)).toBe(true);
      expect(data.invoices.some((invoice) => invoice.tenantId === tenant.id)).toBe(true);
      expect(data.bookings.some((booking) => booking.tenantId === tenant.id)).toBe(true);
    }
  });

  it('keeps invoice arithmetic exact: lines sum to totals, 25 % VAT, balance = total - payments', () => {
    const data = createDemoData({ now });
    for (const invoice of data.invoices) {
      const net = invoice.lines.reduce((sum, line) => sum + toOre(line.net), 0);
      const vat = invoice.lines.reduce((sum, line) => sum + toOre(line.vat), 0);
      expect(toOre(invoice.net)).toBe(net);
      expect(toOre(invoice.vat)).toBe(vat);
      expect(toOre(invoice.total)).toBe(net + vat);
      expect(Math.abs(vat - net * 0.25)).toBeLessThanOrEqual(invoice.lines.length);
      const paid = data.payments
        .filter((payment) => payment.invoiceId === invoice.id)
        .reduce((sum, payment) => sum + toOre(payment.amount), 0);
      expect(toOre(invoice.paid)).toBe(paid);
      expect(toOre(invoice.balance)).toBe(toOre(invoice.total) - paid);
      if (invoice.status === 'paid') expect(invoice.balance).toBe(0);
      if (invoice.status === 'overdue') expect(invoice.dueDate < toIsoDate(now)).toBe(true);
    }
    const statuses = new Set(data.invoices.map((invoice) => invoice.status));
    for (const status of ['paid', 'overdue', 'sent'] as const)
      expect(statuses.has(status)).toBe(true);
  });

  it('dates everything relative to now, with several events tomorrow', () => {
    const data = createDemoData({ now });
    const tomorrow = '2026-03-05';
    expect(
      data.events.filter((event) => event.start.startsWith(tomorrow)).length,
    ).toBeGreaterThanOrEqual(3);
    const later = createDemoData({ now: new Date('2026-09-01T09:00:00Z') });
    expect(later.invoices[0]?.issueDate).not.toBe(data.invoices[0]?.issueDate);
    for (const invoice of data.invoices) expect(invoice.issueDate <= toIsoDate(now)).toBe(true);
  });
});
