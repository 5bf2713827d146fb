import { expect, test } from '@playwright/test';
import { ask, callTool, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

interface InvoiceList {
  invoices: Array<{ id: string; number: string; customer: string; status: string; total: number }>;
  count: number;
}

async function draftsFor(customer: string): Promise<InvoiceList['invoices']> {
  const list = await callTool<InvoiceList>('billy', 'list_invoices', {
    customer,
    status: 'draft',
    limit: 100,
  });
  return list.invoices;
}

const PROMPT = 'Create an invoice for Bageriet Hansen for 10 hours of window cleaning at 450 kr';

test.beforeEach(async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
});

test('approving a create_invoice call creates exactly that invoice, visible in billy and the audit log', async ({
  page,
}, testInfo) => {
  const before = await draftsFor('Bageriet Hansen');
  await ask(page, PROMPT);
  const approval = page.getByTestId('assistant-approval');
  await expect(approval).toBeVisible();
  // The card shows the exact arguments the tool will get.
  await expect(approval).toContainText('Bageriet Hansen');
  await expect(approval).toContainText('450');
  await testInfo.attach('approval-card', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  // Nothing ran yet.
  expect(await draftsFor('Bageriet Hansen')).toHaveLength(before.length);

  await page.getByTestId('assistant-approve').click();
  const card = page.locator('[data-testid="assistant-tool-card"][data-tool$="create_invoice"]');
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(lastAnswer(page)).toContainText(/invoice/i);

  const after = await draftsFor('Bageriet Hansen');
  expect(after).toHaveLength(before.length + 1);
  const created = after.find((invoice) => !before.some((old) => old.id === invoice.id));
  // 10 × 450 DKK + 25 % VAT.
  expect(created?.total).toBe(5625);

  await page.goto('/audit');
  const row = page
    .locator('[data-testid="audit-table"] tbody tr[data-tool="create_invoice"]')
    .first();
  await expect(row).toHaveAttribute('data-outcome', 'success');
});

test('rejecting the call creates nothing and the model is told', async ({ page }) => {
  const before = await draftsFor('Bageriet Hansen');
  await ask(page, PROMPT);
  await expect(page.getByTestId('assistant-approval')).toBeVisible();
  await page.getByTestId('assistant-reject').click();
  const card = page.locator('[data-testid="assistant-tool-card"][data-tool$="create_invoice"]');
  await expect(card).toHaveAttribute('data-state', /output-denied|output-error/);
  await expect(lastAnswer(page)).toContainText(/not run|rejected/i);
  expect(await draftsFor('Bageriet Hansen')).toHaveLength(before.length);
});
