import { expect, test } from '@playwright/test';
import { ask, control, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test('HTML in a tool result renders as text: no dialog, no script', async ({ page }) => {
  const hostile = '<img src=x onerror="alert(1)"><script>window.__pwned = true</script>';
  await control('/tool', {
    tool: 'list_customers',
    payload: {
      content: [{ type: 'text', text: `Customer: ${hostile}` }],
      structuredContent: {
        customers: [{ id: 'cus_x', name: hostile, city: '<b>Odense</b>' }],
        count: 1,
      },
    },
  });
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  await signIn(page);
  await page.getByTestId('assistant-new-thread').click();
  await ask(page, 'List customers named Evil');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(card).toContainText('<img src=x onerror="alert(1)">');
  await expect(card).toContainText('<b>Odense</b>');
  expect(
    await page.locator('.tekup-assistant img, [data-testid="assistant-root"] img').count(),
  ).toBe(0);
  expect(await page.locator('[data-testid="assistant-root"] script').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
});

test('no server secret reaches the browser', async ({ page }) => {
  await signIn(page);
  const html = await page.content();
  for (const secret of ['e2e-session-secret', 'tk_test_0e2e0e2e0e2e0e2e', 'sk-e2e-local-mock']) {
    expect(html).not.toContain(secret);
  }
});
