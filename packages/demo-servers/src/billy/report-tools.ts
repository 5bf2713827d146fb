import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { toIsoDate } from '../core/dates.js';
import { formatDkk, fromOre, toOre } from '../core/money.js';
import { toolResult } from '../core/tool-result.js';
import type { Invoice } from '../demo-data.js';
import { DemoServerError } from '../errors.js';
import type { BillyTools } from './ledger.js';
import { isoDate, organizationSchema } from './schemas.js';
import { READS } from '../core/annotations.js';

/** billy's reports: the organization and its VAT summary. */
export function registerReportTools(
  server: McpServer,
  { context, today, ledger }: BillyTools,
): void {
  server.registerTool(
    'get_organization',
    {
      title: 'Get organization',
      description:
        'Get the company the accounts belong to: name, CVR, address, currency, VAT rate and bank account.',
      inputSchema: {},
      outputSchema: { organization: organizationSchema },
      annotations: READS,
    },
    (_input, extra) => {
      const { organization } = ledger(extra);
      return toolResult(
        `${organization.name}, CVR ${organization.cvr}, ${organization.zipcode} ${organization.city}`,
        { organization },
      );
    },
  );

  server.registerTool(
    'get_vat_summary',
    {
      title: 'VAT (moms) summary',
      description:
        'Sum net sales, output VAT (salgsmoms, 25 %) and totals of approved and sent invoices issued in a period, per month, with paid and outstanding amounts. Defaults to the current quarter.',
      inputSchema: {
        from: isoDate
          .optional()
          .describe('First issue date (YYYY-MM-DD); default start of the current quarter'),
        to: isoDate.optional().describe('Last issue date (YYYY-MM-DD), inclusive; default today'),
      },
      outputSchema: {
        from: z.string(),
        to: z.string(),
        invoiceCount: z.number(),
        net: z.number(),
        vat: z.number(),
        total: z.number(),
        paid: z.number(),
        outstanding: z.number(),
        byMonth: z.array(
          z.object({
            month: z.string(),
            invoiceCount: z.number(),
            net: z.number(),
            vat: z.number(),
            total: z.number(),
          }),
        ),
      },
      annotations: READS,
    },
    ({ from, to }, extra) => {
      const { invoices } = ledger(extra);
      const quarterStart = new Date(
        Date.UTC(context.now.getUTCFullYear(), Math.floor(context.now.getUTCMonth() / 3) * 3, 1),
      );
      const start = from ?? toIsoDate(quarterStart);
      const end = to ?? today;
      if (start > end)
        throw new DemoServerError('invalid_argument', 'from: must not be after "to"', {
          field: 'from',
        });
      const booked = invoices.filter(
        (invoice) =>
          invoice.status !== 'draft' && invoice.issueDate >= start && invoice.issueDate <= end,
      );
      const sum = (items: Invoice[], key: 'net' | 'vat' | 'total' | 'paid' | 'balance') =>
        fromOre(items.reduce((total, invoice) => total + toOre(invoice[key]), 0));
      const months = [...new Set(booked.map((invoice) => invoice.issueDate.slice(0, 7)))].sort();
      const byMonth = months.map((month) => {
        const items = booked.filter((invoice) => invoice.issueDate.startsWith(month));
        return {
          month,
          invoiceCount: items.length,
          net: sum(items, 'net'),
          vat: sum(items, 'vat'),
          total: sum(items, 'total'),
        };
      });
      const result = {
        from: start,
        to: end,
        invoiceCount: booked.length,
        net: sum(booked, 'net'),
        vat: sum(booked, 'vat'),
        total: sum(booked, 'total'),
        paid: sum(booked, 'paid'),
        outstanding: sum(booked, 'balance'),
        byMonth,
      };
      return toolResult(
        `${start}–${end}: ${booked.length} invoice(s), net ${formatDkk(result.net)}, VAT ${formatDkk(result.vat)}, total ${formatDkk(result.total)}, outstanding ${formatDkk(result.outstanding)}`,
        result,
      );
    },
  );
}
