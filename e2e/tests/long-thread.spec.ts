import { expect, test } from '@playwright/test';
import { ask, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

/** The seeded member's thread key (examples/dashboard/src/app/(app)/page.tsx). */
const THREAD_KEY = 'tekup-assistant:tekup-dashboard:10000000-0000-4000-8000-000000000002';

test('a 200-message thread opens at its end, loads earlier messages in place, and follows the answer', async ({
  page,
}) => {
  await signIn(page, 'member@tekup.dk');
  await page.evaluate((key) => {
    const messages = Array.from({ length: 200 }, (_, index) => ({
      id: `seed-${index}`,
      role: index % 2 === 0 ? 'user' : 'assistant',
      parts: [{ type: 'text', text: `Seeded message ${index}: ${'words '.repeat(30)}` }],
    }));
    localStorage.setItem(key, JSON.stringify({ version: 1, messages }));
  }, THREAD_KEY);
  await page.reload();

  const messages = page.getByTestId('assistant-message');
  const log = page.getByTestId('assistant-messages');
  await expect(messages).toHaveCount(24);
  // Opened at the end: the newest message is on screen.
  await expect(messages.last()).toContainText('Seeded message 199');
  await expect(messages.last()).toBeInViewport();

  // Scrolled to the top: the next page of earlier messages, and what was read stays in view.
  const oldestShown = messages.first();
  await expect(oldestShown).toContainText('Seeded message 176');
  await log.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(messages).toHaveCount(48);
  await expect(page.getByText('Seeded message 176:')).toBeInViewport();
  await expect(page.getByTestId('assistant-jump-to-latest')).toBeVisible();

  // Back to the end, and a new answer is followed.
  await page.getByTestId('assistant-jump-to-latest').click();
  await expect(messages.last()).toBeInViewport();
  await ask(page, 'Find invoices for Nordlys Rengøring');
  await expect(lastAnswer(page)).toContainText(/invoice/i);
  await expect(lastAnswer(page)).toBeInViewport();
  await expect(page.getByTestId('assistant-jump-to-latest')).toHaveCount(0);
});
