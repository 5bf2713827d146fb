/** The seeded TekupVault documents (ids and dates are added by createDemoData). */
export const VAULT_DOCUMENT_SEEDS: ReadonlyArray<{
  repository: string;
  path: string;
  title: string;
  content: string;
  tags: string[];
}> = [
  {
    repository: 'tekup/renos-backend',
    path: 'docs/booking-flow.md',
    title: 'RenOS booking flow',
    content:
      'A booking starts as a lead from the website form or an email. The lead parser extracts address, square metres and the wanted service, then RenOS proposes a price from the price list. When the customer accepts, a booking is created in the calendar with an assigned cleaner and a route slot. The booking is confirmed by email and SMS the day before. Cancellations less than 24 hours before the visit are charged 50 %.',
    tags: ['renos', 'booking', 'calendar'],
  },
  {
    repository: 'tekup/renos-backend',
    path: 'src/services/calendar-sync.ts',
    title: 'Google Calendar synchronisation',
    content:
      'The calendar sync service mirrors RenOS bookings into the shared Google Calendar of the cleaning team. It polls every five minutes, detects conflicts (two bookings for the same cleaner overlapping) and marks them for manual review. Free slots are computed from working hours 08:00–16:00 minus existing bookings and travel time between addresses.',
    tags: ['renos', 'calendar', 'sync', 'conflicts'],
  },
  {
    repository: 'tekup/renos-backend',
    path: 'docs/pricing.md',
    title: 'Cleaning price list and quoting',
    content:
      'Window cleaning is priced per hour (349 kr. excl. moms). Move-out cleaning is priced per square metre. Quotes always show prices excluding VAT and the 25 % moms separately. Recurring office cleaning gets a 10 % discount from the fourth visit. Materials are invoiced as separate lines.',
    tags: ['pricing', 'quotes', 'vat'],
  },
  {
    repository: 'tekup/tekup-billy',
    path: 'README.md',
    title: 'Tekup Billy MCP server',
    content:
      'tekup-billy exposes the Billy.dk accounting API as MCP tools: customers, products, invoices, payments, organization details and a VAT summary. Invoices are created as drafts, approved (which assigns the final number and locks the lines), sent by email and settled by recording payments. The server never deletes accounting data; corrections are made with credit notes.',
    tags: ['billy', 'mcp', 'invoices', 'accounting'],
  },
  {
    repository: 'tekup/tekup-billy',
    path: 'docs/vat-reporting.md',
    title: 'Momsindberetning (VAT reporting)',
    content:
      'Danish companies with revenue above 50 million kr. report VAT monthly, smaller ones quarterly or half-yearly. Output VAT (salgsmoms) is 25 % of the net sales; input VAT (købsmoms) on purchases is deducted. The VAT summary tool adds up net, VAT and gross amounts of approved invoices in a period so the figures can be typed into TastSelv Erhverv on skat.dk.',
    tags: ['vat', 'moms', 'skat', 'reporting'],
  },
  {
    repository: 'tekup/tekup-billy',
    path: 'src/tools/record-payment.ts',
    title: 'Recording payments',
    content:
      'record_payment registers a bank transfer, MobilePay or card payment against an approved invoice. Partial payments are allowed; the invoice balance is the total minus all payments. A payment larger than the balance is refused so the ledger never shows a negative balance. When the balance reaches zero the invoice is marked paid.',
    tags: ['billy', 'payments', 'invoices'],
  },
  {
    repository: 'tekup/tekup-gateway',
    path: 'docs/architecture.md',
    title: 'MCP gateway architecture',
    content:
      'The gateway terminates MCP for every client and keeps pooled upstream connections to each server instance. It load-balances round-robin over healthy instances, runs health checks every 30 seconds, retries idempotent calls on another instance, caches read-only tool results (documents 15 minutes, database 5 minutes, code intelligence 30 minutes) and writes one audit row per call.',
    tags: ['gateway', 'mcp', 'architecture', 'cache'],
  },
  {
    repository: 'tekup/tekup-gateway',
    path: 'docs/security.md',
    title: 'Gateway authentication and RBAC',
    content:
      'Clients authenticate with a session cookie or an API key. Roles decide which servers and tools a user may call: viewers read, accountants may create and approve invoices, admins may do everything. The gateway forwards the caller identity (user, tenant, role) to upstream servers in the request metadata; it never forwards the client token itself.',
    tags: ['gateway', 'security', 'rbac', 'auth'],
  },
  {
    repository: 'tekup/tekup-database',
    path: 'docs/row-level-security.md',
    title: 'Row Level Security per tenant',
    content:
      'Every business table carries a tenant_id column. Row Level Security policies compare it with the app.tenant_id setting, which the database server sets at the start of each read-only transaction from the forwarded caller identity. Queries run as a role without write grants, so an INSERT or DROP fails inside Postgres even if a bug let it through.',
    tags: ['database', 'rls', 'security', 'postgres'],
  },
  {
    repository: 'tekup/tekup-assistant',
    path: 'docs/embedding.md',
    title: 'Embedding the AI assistant',
    content:
      'Drop the AIAssistant React component into any Tekup app and point it at the gateway and a chat endpoint. The component lists the tools of each configured MCP server, streams the model answer, shows every tool call as a card and asks for approval before destructive calls such as sending an invoice or cancelling a booking.',
    tags: ['assistant', 'react', 'embedding'],
  },
  {
    repository: 'tekup/tekup-assistant',
    path: 'docs/offline-planner.md',
    title: 'Offline planner model',
    content:
      'Without an OpenAI key the assistant uses a deterministic planner model that matches the user request to tools by their names, descriptions and parameter names, fills arguments from dates, amounts and names in the text, and summarises the results. It is labelled clearly in the UI and is meant for demos and tests, not for production conversations.',
    tags: ['assistant', 'llm', 'offline'],
  },
  {
    repository: 'tekup/tekup-vault',
    path: 'README.md',
    title: 'TekupVault',
    content:
      'TekupVault indexes documentation and code from the Tekup repositories and answers semantic search queries. Locally it ranks with BM25 over stemmed terms; with an OpenAI key it can use text embeddings instead. A sync job re-indexes changed repositories and reports the sync status per repository.',
    tags: ['vault', 'search', 'embeddings'],
  },
  {
    repository: 'tekup/renos-frontend',
    path: 'docs/onboarding.md',
    title: 'Onboarding a new cleaner',
    content:
      'New cleaners get a RenOS login, a phone with the route app and a starter kit of eco-labelled cleaning supplies. The first week they shadow an experienced colleague. Working hours are 08:00 to 16:00 with a 30 minute lunch break; travel time between customers counts as working time.',
    tags: ['renos', 'hr', 'onboarding'],
  },
  {
    repository: 'tekup/renos-frontend',
    path: 'docs/customer-portal.md',
    title: 'Customer portal',
    content:
      'Customers see upcoming bookings, past invoices and their payment status in the portal. They can move a booking to a free slot up to 24 hours before the visit and pay open invoices with MobilePay or card. Invoices are fetched from Billy through the gateway so the portal never talks to Billy directly.',
    tags: ['renos', 'portal', 'invoices', 'booking'],
  },
];
