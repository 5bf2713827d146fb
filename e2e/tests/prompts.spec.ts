import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test.beforeEach(async ({ page }) => {
  await signIn(page, 'member@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
});

test("the knowledge server's prompts are / commands: picked with the keyboard, arguments asked, the answer follows", async ({
  page,
}, testInfo) => {
  const input = page.getByTestId('assistant-input');
  await input.fill('/');
  const options = page.getByTestId('assistant-prompt-option');
  await expect(options).toHaveCount(3);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  // The open menu passes the accessibility scan.
  const scan = await new AxeBuilder({ page })
    .include('[data-testid="assistant-prompt-menu"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(
    scan.violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')),
  ).toEqual([]);
  await testInfo.attach('prompt-menu', { body: await page.screenshot(), contentType: 'image/png' });

  await input.pressSequentially('vat');
  await expect(options).toHaveCount(1);
  await input.press('Enter');
  const quarter = page.getByLabel(/quarter/i);
  await expect(quarter).toBeFocused();
  await quarter.fill('2026-Q2');
  await testInfo.attach('prompt-arguments', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  await quarter.press('Enter');

  await expect(
    page.locator('[data-testid="assistant-message"][data-role="user"]').last(),
  ).toContainText('Prepare the VAT (moms) report for 2026-Q2');
  // The prompt asks for the quarter's VAT: the model reads billy's VAT summary.
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-tool',
    /get_vat_summary/,
  );
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-state',
    'output-available',
  );
  await expect(lastAnswer(page)).toContainText(/VAT|moms/);
});

test('Escape closes the / menu and keeps the panel open', async ({ page }) => {
  await page.goto('/?variant=floating');
  await page.getByTestId('assistant-launcher').click();
  const input = page.getByTestId('assistant-input');
  await input.fill('/over');
  await expect(page.getByTestId('assistant-prompt-option')).toHaveCount(1);
  await input.press('Escape');
  await expect(page.getByTestId('assistant-prompt-menu')).toHaveCount(0);
  await expect(input).toBeVisible();
});
