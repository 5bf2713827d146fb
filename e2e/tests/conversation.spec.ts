import { expect, test } from '@playwright/test';
import { DEMO_NOW, ask, control, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test.beforeEach(async ({ page }) => {
  await signIn(page);
  // Every test starts from an empty thread.
  await page.getByTestId('assistant-new-thread').click();
});

test('"check my calendar tomorrow" lists tomorrow\'s events', async ({ page }) => {
  await ask(page, 'Check my calendar tomorrow');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toHaveAttribute('data-tool', /list_events/);
  await expect(card).toHaveAttribute('data-state', 'output-available');
  const tomorrow = new Date(DEMO_NOW.getTime() + 86_400_000).toISOString().slice(0, 10);
  await expect(card.locator('tbody tr').first()).toBeVisible();
  await expect(card).toContainText(tomorrow);
  await expect(lastAnswer(page)).toContainText(/event/i);
});

test('a knowledge question is answered with the source document', async ({ page }) => {
  await ask(page, 'What does the documentation say about the MCP gateway?');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toHaveAttribute('data-tool', /search_docs/);
  await expect(card).toHaveAttribute('data-state', 'output-available');
  // The answer names the document it comes from.
  await expect(lastAnswer(page)).toContainText('The MCP gateway');
  await expect(lastAnswer(page)).toContainText(/gateway\.md/);
});

test('quick actions send their prompt', async ({ page }) => {
  await page
    .getByTestId('assistant-quick-action')
    .filter({ hasText: 'Find invoices for Nordlys' })
    .click();
  await expect(
    page.locator('[data-testid="assistant-message"][data-role="user"]').last(),
  ).toHaveText(/Find invoices for Nordlys Rengøring/);
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-state',
    'output-available',
  );
});

test('stop during a slow tool cancels it and keeps the chat usable', async ({ page }) => {
  await control('/tool', { tool: 'list_invoices', delayMs: 8000 });
  // A customer no other test asks about, so no cached answer short-cuts the slow tool.
  await ask(page, 'Find invoices for Vestergaard VVS');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toBeVisible();
  await expect(page.getByTestId('assistant-stop')).toBeEnabled();
  await page.getByTestId('assistant-stop').click();
  await expect(page.getByTestId('assistant-stop')).toHaveCount(0);
  await expect(card).not.toHaveAttribute('data-state', 'output-available');
  await control('/reset', {});
  await ask(page, 'Check my calendar tomorrow');
  await expect(page.getByTestId('assistant-tool-card').last()).toHaveAttribute(
    'data-state',
    'output-available',
  );
});

test('regenerate answers the last message again', async ({ page }) => {
  await ask(page, 'Find invoices for Nordlys Rengøring');
  await expect(lastAnswer(page)).toContainText(/invoice/i);
  await page.getByRole('button', { name: /regenerate/i }).click();
  await expect(page.getByTestId('assistant-tool-card').last()).toHaveAttribute(
    'data-state',
    'output-available',
  );
  await expect(lastAnswer(page)).toContainText(/invoice/i);
  await expect(page.locator('[data-testid="assistant-message"][data-role="user"]')).toHaveCount(1);
});

test('reloading the page keeps the thread', async ({ page }) => {
  await ask(page, 'Find invoices for Nordlys Rengøring');
  const summary = lastAnswer(page).getByText(/^Found \d+ invoices/);
  await expect(summary).toBeVisible();
  const text = await summary.textContent();
  const rows = page.getByTestId('assistant-tool-card').locator('tbody tr');
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  await page.reload();
  await expect(
    page.locator('[data-testid="assistant-message"][data-role="user"]').last(),
  ).toHaveText(/Find invoices for Nordlys Rengøring/);
  await expect(lastAnswer(page).getByText(/^Found \d+ invoices/)).toHaveText(text ?? '');
  await expect(rows).toHaveCount(count);
});
