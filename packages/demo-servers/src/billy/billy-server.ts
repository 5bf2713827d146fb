import { toIsoDate } from '../core/dates.js';
import type { ServerContext, ServerRuntime } from '../core/server-runtime.js';
import { registerCatalogTools } from './catalog-tools.js';
import { registerInvoiceTools } from './invoice-tools.js';
import { openLedger, type BillyTools } from './ledger.js';
import { registerReminderTools } from './reminder-tools.js';
import { registerReportTools } from './report-tools.js';

/**
 * Creates the Billy.dk accounting server (14 tools). Every call works on the books of the
 * forwarded caller's organization; a call without one is refused.
 */
export function createBillyRuntime(context: ServerContext): ServerRuntime {
  const today = toIsoDate(context.now);
  const tools: BillyTools = {
    context,
    today,
    ledger: (extra) => openLedger(context.books.forCaller(extra), today),
  };
  return {
    register(server) {
      // In this order: tools/list lists them so.
      registerCatalogTools(server, tools);
      registerInvoiceTools(server, tools);
      registerReportTools(server, tools);
      registerReminderTools(server, tools);
    },
    health: () => ({
      organizations: context.books.all().length,
      invoices: context.books.all().reduce((sum, books) => sum + books.invoices.length, 0),
    }),
  };
}
