import { expect, type Page, test } from '@playwright/test';
import { createDemoData, TENANTS } from '@tekup/demo-servers';
import { findLeaks, tenantFingerprints } from '@tekup/demo-servers/testing';
import { DEMO_NOW, ask, callTool, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

const data = createDemoData({ now: DEMO_NOW });
const [tekup, nordlys] = TENANTS;
/** Everything that would betray Tekup Demo ApS's books or people on a Nordlys page. */
const TEKUP_MARKS = [
  ...tenantFingerprints(data, tekup.id),
  'admin@tekup.dk',
  'member@tekup.dk',
  'Mette Admin',
  'Jonas Member',
];

interface InvoiceList {
  invoices: Array<{ id: string; customer: string }>;
}

async function visibleText(page: Page): Promise<string> {
  return (await page.locator('body').textContent()) ?? '';
}

test.describe.configure({ mode: 'serial' });

test('a Nordlys member sees only Nordlys invoices and customers, and her invoice stays out of Tekup’s books', async ({
  page,
}) => {
  await signIn(page, 'anna@nordlys.dk');
  await page.getByTestId('assistant-new-thread').click();

  await ask(page, 'Show all invoices');
  const invoices = page.locator('[data-testid="assistant-tool-card"][data-tool$="list_invoices"]');
  await expect(invoices.last()).toHaveAttribute('data-state', 'output-available');
  await expect(invoices.last().locator('tbody tr').first()).toBeVisible();
  const nordlysInvoices = data.invoices.filter((invoice) => invoice.tenantId === nordlys.id);
  await expect(invoices.last()).toContainText(nordlysInvoices[0]?.customerName ?? '');
  expect(findLeaks((await invoices.last().textContent()) ?? '', TEKUP_MARKS)).toEqual([]);

  await ask(page, 'Show all customers');
  const customers = page.locator(
    '[data-testid="assistant-tool-card"][data-tool$="list_customers"]',
  );
  await expect(customers.last()).toHaveAttribute('data-state', 'output-available');
  await expect(customers.last()).toContainText('Hotel Kronborg');
  expect(findLeaks((await customers.last().textContent()) ?? '', TEKUP_MARKS)).toEqual([]);
  expect(findLeaks(await visibleText(page), TEKUP_MARKS)).toEqual([]);

  const before = await callTool<InvoiceList>('billy', 'list_invoices', { limit: 100 }, 'nordlys');
  await ask(page, 'Create an invoice for Hotel Kronborg for 3 hours of office cleaning');
  await expect(page.getByTestId('assistant-approval')).toBeVisible();
  await page.getByTestId('assistant-approve').click();
  const card = page.locator('[data-testid="assistant-tool-card"][data-tool$="create_invoice"]');
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(lastAnswer(page)).toContainText(/invoice/i);

  const after = await callTool<InvoiceList>('billy', 'list_invoices', { limit: 100 }, 'nordlys');
  const created = after.invoices.filter(
    (invoice) => !before.invoices.some((old) => old.id === invoice.id),
  );
  expect(created).toHaveLength(1);
  expect(created[0]?.id).toMatch(/^ninv_/);
  const tekupBooks = await callTool<InvoiceList>('billy', 'list_invoices', { limit: 100 }, 'tekup');
  expect(tekupBooks.invoices.map((invoice) => invoice.id)).not.toContain(created[0]?.id);
  const tekupDrafts = await callTool<InvoiceList>(
    'billy',
    'list_invoices',
    { customer: 'Hotel Kronborg', limit: 100 },
    'tekup',
  );
  expect(tekupDrafts.invoices).toEqual([]);
});

test('no page of a Nordlys admin shows a Tekup record, person or upstream address', async ({
  page,
}) => {
  await signIn(page, 'sabine@nordlys.dk');
  const pages: Array<[string, string]> = [
    ['/', '[data-testid="assistant-root"]'],
    ['/audit', '[data-testid="audit-table"][aria-busy="false"]'],
    ['/health', '[data-testid="health-billy"]'],
    ['/usage', '[data-testid="usage-table"]'],
    ['/keys', 'table'],
    ['/settings', '[data-testid="settings"]'],
  ];
  for (const [path, ready] of pages) {
    await page.goto(path);
    await expect(page.locator(ready).first()).toBeVisible();
    const text = `${await visibleText(page)}\n${await page.content()}`;
    expect(findLeaks(text, TEKUP_MARKS), path).toEqual([]);
    expect(text, path).not.toMatch(/127\.0\.0\.1:\d+|localhost:\d+\/mcp/);
  }
  await page.goto('/health');
  await expect(page.getByTestId('health-billy')).toBeVisible();
  await expect(page.getByTestId('health-vault')).toHaveCount(0);
});

test('a Tekup admin’s Usage page lists no Nordlys user, a Nordlys admin’s lists them', async ({
  page,
}) => {
  // Anna chatted in the first test; her usage is Nordlys's.
  await signIn(page, 'admin@tekup.dk');
  await page.goto('/usage');
  const table = page.getByTestId('usage-table');
  await expect(table).toBeVisible();
  await expect(table).not.toContainText('nordlys.dk');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'sabine@nordlys.dk');
  await page.goto('/usage');
  await expect(page.getByTestId('usage-table')).toContainText('anna@nordlys.dk');
  await expect(page.getByTestId('usage-table')).not.toContainText('tekup.dk');
});
