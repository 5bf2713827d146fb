import { expect, test } from '@playwright/test';
import { ask, control, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test.beforeEach(async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
});

test('a forced 429 shows a friendly message with the retry time', async ({ page }) => {
  await control('/rate-limit', { force: true, retryAfter: 30 });
  await ask(page, 'Find invoices for Skovly Børnehave');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toHaveAttribute('data-state', 'output-error');
  await expect(card).toContainText(/rate limited; try again in 30 s/i);
});

test('one billy instance killed mid-conversation: the answer still arrives', async ({ page }) => {
  await ask(page, 'Find invoices for Havnens Café');
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-state',
    'output-available',
  );
  await control('/instance', { server: 'billy', index: 0, mode: 'down' });
  await ask(page, 'Find invoices for Jensens Fisk');
  const second = page.getByTestId('assistant-tool-card').nth(1);
  await expect(second).toHaveAttribute('data-state', 'output-available');
  await expect(lastAnswer(page)).toContainText(/invoice/i);
});

test('a tool that errors is shown as an error and explained', async ({ page }) => {
  await control('/tool', { tool: 'list_events', error: 'calendar backend timed out' });
  await ask(page, 'Check my calendar next monday');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toContainText('calendar backend timed out');
  await expect(lastAnswer(page)).toContainText(/fail|error|timed out/i);
});

test('the whole gateway down gives a clear error, and chat works again when it returns', async ({
  page,
}) => {
  await control('/gateway', { down: true });
  await page.reload();
  const status = page.getByTestId('assistant-server-status');
  await expect(status).toContainText('The server "billy" is unavailable right now.');

  await control('/gateway', { down: false });
  await expect(async () => {
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect(status).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await ask(page, 'Find invoices for Grøn Vask');
  await expect(page.getByTestId('assistant-tool-card').last()).toHaveAttribute(
    'data-state',
    'output-available',
  );
});
