import { expect, test } from '@playwright/test';
import { ask, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test('find invoices for a seeded customer shows the tool call and the invoice rows', async ({
  page,
}, testInfo) => {
  await signIn(page);
  await expect(page.getByTestId('assistant-root')).toBeVisible();
  await ask(page, 'Find invoices for Nordlys Rengøring');

  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-tool', /list_invoices/);
  await expect(card).toHaveAttribute('data-state', 'output-available');
  // The rows come from the billy server's seeded data, rendered as a table.
  const rows = card.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(card).toContainText('Nordlys Rengøring ApS');
  await expect(lastAnswer(page)).toContainText(/invoice/i);
  await expect(page.getByTestId('assistant-offline-badge').first()).toContainText('offline model');

  await testInfo.attach('assistant-invoices', {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
});
