import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';
import { lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/** Presses Tab until `testId` has focus (at most `limit` times). */
async function tabTo(page: Page, testId: string, limit = 40): Promise<void> {
  for (let step = 0; step < limit; step++) {
    if (
      await page.evaluate(
        (id) => document.activeElement?.getAttribute('data-testid') === id,
        testId,
      )
    )
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

test('a whole conversation with the keyboard only, approval included', async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
  await page.locator('body').focus();
  await tabTo(page, 'assistant-input');
  await page.keyboard.type(
    'Create an invoice for Lindholm Advokater for 3 hours of office cleaning at 400 kr',
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('assistant-approval')).toBeVisible();
  await tabTo(page, 'assistant-approve');
  await page.keyboard.press('Enter');
  await expect(
    page.locator('[data-testid="assistant-tool-card"][data-tool$="create_invoice"]'),
  ).toHaveAttribute('data-state', 'output-available');
  await expect(lastAnswer(page)).toContainText(/invoice/i);
  // Focus returns to the input, ready for the next question.
  await expect(page.getByTestId('assistant-input')).toBeFocused();
});

test('no serious or critical axe violations on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  expect(await seriousViolations(page)).toEqual([]);
});

test('no serious or critical axe violations on the dashboard pages', async ({ page }, testInfo) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
  await page.getByTestId('assistant-input').fill('Find invoices for Nordlys Rengøring');
  await page.getByTestId('assistant-send').click();
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-state',
    'output-available',
  );
  const pages = [
    { path: '/', name: 'assistant' },
    { path: '/audit', name: 'audit', ready: '[data-testid="audit-table"] tbody tr' },
    { path: '/health', name: 'health', ready: '[data-testid="health-billy"]' },
    { path: '/usage', name: 'usage', ready: '[data-testid="usage-table"]' },
    { path: '/keys', name: 'api-keys' },
    { path: '/settings', name: 'settings', ready: '[data-testid="settings"]' },
  ];
  for (const entry of pages) {
    if (entry.path !== '/') await page.goto(entry.path);
    if (entry.ready) await expect(page.locator(entry.ready).first()).toBeVisible();
    expect(await seriousViolations(page), entry.path).toEqual([]);
    await testInfo.attach(`page-${entry.name}`, {
      body: await page.screenshot({ fullPage: true }),
      contentType: 'image/png',
    });
  }
});
