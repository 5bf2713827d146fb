/**
 * billy's invoice view (an MCP App): one invoice with its lines and totals, and the next step
 * the books allow — approve a draft, send an approved invoice. Both run as `tools/call` through
 * the host, which asks the person first (they change the books).
 */
import { createView, h, textOf } from './view';

interface InvoiceLine {
  description: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  net: number;
}

interface Invoice {
  id: string;
  number: string;
  customerName: string;
  issueDate: string;
  dueDate: string;
  status: 'draft' | 'approved' | 'sent' | 'overdue' | 'paid';
  net: number;
  vat: number;
  total: number;
  balance: number;
  lines: InvoiceLine[];
}

const view = createView('billy-invoice-view');
const { app, t } = view;
let invoice: Invoice | undefined;
let busy = false;
let notice: { text: string; tone: 'ok' | 'bad' } | undefined;

const root = document.getElementById('app') as HTMLElement;

const money = (amount: number) =>
  new Intl.NumberFormat(view.locale(), { style: 'currency', currency: 'DKK' }).format(amount);
const day = (iso: string) =>
  new Intl.DateTimeFormat(view.locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
const statusText = (status: Invoice['status']) =>
  ({
    draft: t('Draft', 'Kladde'),
    approved: t('Approved', 'Godkendt'),
    sent: t('Sent', 'Sendt'),
    overdue: t('Overdue', 'Forfalden'),
    paid: t('Paid', 'Betalt'),
  })[status];

function invoiceOf(result: { structuredContent?: Record<string, unknown> }): Invoice | undefined {
  const value = result.structuredContent?.invoice;
  return value && typeof value === 'object' ? (value as Invoice) : undefined;
}

async function act(tool: 'approve_invoice' | 'send_invoice', done: string): Promise<void> {
  if (!invoice || busy) return;
  busy = true;
  notice = undefined;
  render();
  try {
    const result = await app.callServerTool({
      name: tool,
      arguments: { invoiceId: invoice.id },
    });
    if (result.isError) notice = { text: textOf(result), tone: 'bad' };
    else {
      invoice = invoiceOf(result) ?? invoice;
      notice = {
        text: (tool === 'send_invoice' && textOf(result).split('\n')[0]) || done,
        tone: 'ok',
      };
    }
  } catch (error) {
    notice = { text: error instanceof Error ? error.message : String(error), tone: 'bad' };
  } finally {
    busy = false;
    render();
  }
}

function render(): void {
  if (!invoice) {
    root.replaceChildren(
      h('p', { class: 'muted' }, t('Loading the invoice…', 'Henter fakturaen…')),
    );
    return;
  }
  const current = invoice;
  const actions = h(
    'div',
    { class: 'row' },
    current.status === 'draft' &&
      h(
        'button',
        {
          class: 'primary',
          type: 'button',
          disabled: busy,
          'data-action': 'approve',
          click: () =>
            void act('approve_invoice', t('Invoice approved.', 'Fakturaen er godkendt.')),
        },
        t('Approve', 'Godkend'),
      ),
    current.status !== 'draft' &&
      current.status !== 'paid' &&
      h(
        'button',
        {
          class: current.status === 'approved' ? 'primary' : '',
          type: 'button',
          disabled: busy,
          'data-action': 'send',
          click: () => void act('send_invoice', t('Invoice sent.', 'Fakturaen er sendt.')),
        },
        current.status === 'approved' ? t('Send', 'Send') : t('Send again', 'Send igen'),
      ),
  );
  const parts: Array<HTMLElement | false | undefined> = [
    h(
      'div',
      { class: 'row spread' },
      h(
        'div',
        {},
        h('h1', {}, `${t('Invoice', 'Faktura')} ${current.number}`),
        h('div', { class: 'muted' }, current.customerName),
      ),
      h('span', { class: 'badge', 'data-status': current.status }, statusText(current.status)),
    ),
    h(
      'p',
      { class: 'muted' },
      `${t('Issued', 'Udstedt')} ${day(current.issueDate)} · ${t('Due', 'Forfald')} ${day(current.dueDate)}`,
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('Description', 'Beskrivelse')),
          h('th', { scope: 'col', class: 'num' }, t('Quantity', 'Antal')),
          h('th', { scope: 'col', class: 'num unit' }, t('Unit price', 'Stykpris')),
          h('th', { scope: 'col', class: 'num' }, t('Amount', 'Beløb')),
        ),
      ),
      h(
        'tbody',
        {},
        ...current.lines.map((line) =>
          h(
            'tr',
            {},
            h('td', {}, line.description),
            h('td', { class: 'num' }, `${line.quantity} ${line.unit}`),
            h('td', { class: 'num unit' }, money(line.unitPrice)),
            h('td', { class: 'num' }, money(line.net)),
          ),
        ),
      ),
    ),
    h(
      'table',
      { class: 'totals' },
      h(
        'tbody',
        {},
        h('tr', {}, h('td', {}, t('Net', 'Netto')), h('td', { class: 'num' }, money(current.net))),
        h(
          'tr',
          {},
          h('td', {}, t('VAT 25 %', 'Moms 25 %')),
          h('td', { class: 'num' }, money(current.vat)),
        ),
        h(
          'tr',
          { class: 'total' },
          h('th', { scope: 'row' }, t('Total incl. VAT', 'I alt inkl. moms')),
          h('td', { class: 'num' }, money(current.total)),
        ),
        current.balance !== current.total &&
          h(
            'tr',
            {},
            h('td', {}, t('Still to pay', 'Mangler at betale')),
            h('td', { class: 'num' }, money(current.balance)),
          ),
      ),
    ),
    actions,
    notice &&
      h(
        'p',
        { class: 'notice', role: 'status', style: `color: var(--${notice.tone})` },
        notice.text,
      ),
  ];
  root.replaceChildren(...parts.filter((part): part is HTMLElement => part instanceof HTMLElement));
}

app.ontoolresult = (result) => {
  const next = invoiceOf(result);
  if (next) invoice = next;
  else if (result.isError) notice = { text: textOf(result), tone: 'bad' };
  render();
};

void view.start(render);
