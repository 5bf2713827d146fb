/**
 * Servers' questions during a tool call, in Chromium, through the dashboard's gateway front and
 * the gateway behind it: a form answered and one declined (calendar), a link opened only with
 * consent (calendar → Google), the assistant's model lent to billy after the user allows it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { callFor, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test.beforeEach(async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
});

async function expectNoSeriousViolations(page: Page, selector: string) {
  const scan = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(
    scan.violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')),
  ).toEqual([]);
}

interface AuditRows {
  rows: Array<{ tool: string; outcome: string }>;
}

test('a form on the call’s card: who does the job, answered with the keyboard, then booked', async ({
  page,
}, testInfo) => {
  const card = await callFor(
    page,
    'Book a window cleaning on 2026-06-13 at 08:00',
    'calendar__create_event',
  );
  await expect(card).toHaveAttribute('data-state', 'approval-requested');
  await card.getByTestId('assistant-approve').click();
  const form = card.getByTestId('assistant-question');
  await expect(form).toBeVisible();
  await expect(card).toHaveAttribute('data-state', 'input-required');
  await expect(form).toContainText('Who should do "Window cleaning"?');
  await expectNoSeriousViolations(page, '[data-testid="assistant-question"]');
  await testInfo.attach('question-form', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });

  // Keyboard only: the select is labelled, Enter submits.
  const assignee = form.getByRole('combobox', { name: /Assignee/ });
  await assignee.focus();
  await assignee.selectOption({ index: 1 });
  const chosen = await assignee.inputValue();
  await page.keyboard.press('Tab');
  await expect(form.getByTestId('assistant-question-accept')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(card).toContainText(chosen);

  const audit = await page.request.get('/api/audit?outcome=elicitation_accepted');
  expect(((await audit.json()) as AuditRows).rows.map((row) => row.tool)).toContain('create_event');
});

test('a declined form books nothing; a double booking is asked about first', async ({ page }) => {
  // 08:00 on 2026-06-11 is taken: the form says so and offers to double-book.
  const card = await callFor(
    page,
    'Book a window cleaning on 2026-06-11 at 08:00',
    'calendar__create_event',
  );
  await card.getByTestId('assistant-approve').click();
  const form = card.getByTestId('assistant-question');
  await expect(form).toContainText(/overlaps/);
  await expect(form.getByRole('checkbox', { name: /Book it anyway/ })).not.toBeChecked();
  await form.getByTestId('assistant-question-decline').click();
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(card).toContainText('declined by the user');
});

test('a link question names the site, opens it only on consent, and the call goes on', async ({
  page,
}, testInfo) => {
  const card = await callFor(page, 'Connect Google Calendar', 'calendar__connect_google_calendar');
  const question = card.getByTestId('assistant-question');
  await expect(question).toHaveAttribute('data-mode', 'url');
  await expect(question.getByTestId('assistant-question-domain')).toHaveText('accounts.google.com');
  await testInfo.attach('question-url', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  // The consent page opens in a new tab (kept offline: the request is stopped).
  await page
    .context()
    .route('https://accounts.google.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Google</title>' }),
    );
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    question.getByRole('button', { name: 'Open accounts.google.com' }).click(),
  ]);
  expect(new URL(popup.url()).hostname).toBe('accounts.google.com');
  await popup.close();
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(card).toContainText('pending');
});

test('billy borrows the assistant’s model after the user allows it, through the metered route', async ({
  page,
}, testInfo) => {
  const card = await callFor(
    page,
    'Draft a payment reminder for invoice 1011',
    'billy__draft_payment_reminder',
  );
  const question = card.getByTestId('assistant-question');
  await expect(question).toHaveAttribute('data-mode', 'sampling');
  await expect(question).toContainText('wants the assistant’s model to write an answer');
  await expect(question).toContainText('Fjordblik Ejendomme');
  await testInfo.attach('question-sampling', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  const [sampled] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/chat/sampling')),
    question.getByTestId('assistant-question-accept').click(),
  ]);
  expect(sampled.status()).toBe(200);
  await expect(card).toHaveAttribute('data-state', 'output-available');
  // The offline model gives the draft back unchanged, and says it wrote it.
  await expect(card).toContainText('offline-planner');
  await expect(card).toContainText('Kære Fjordblik Ejendomme');

  const audit = await page.request.get('/api/audit?outcome=sampling_approved');
  expect(((await audit.json()) as AuditRows).rows.map((row) => row.tool)).toContain(
    'draft_payment_reminder',
  );
});
