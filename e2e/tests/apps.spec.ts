/**
 * MCP Apps in Chromium: billy's invoice view and the calendar's week view render in a sandboxed
 * frame on the call's card, through the dashboard's gateway front; a click inside the view that
 * changes the books waits for the person's approval on the card, like the model's calls.
 */
import { expect, test } from '@playwright/test';
import { callFor, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test.beforeEach(async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByTestId('assistant-new-thread').click();
});

test("billy's invoice view: shown in a sandbox, Send inside it asks first, then sends", async ({
  page,
}) => {
  const card = await callFor(page, 'Show invoice 1010', 'billy__get_invoice');
  const frame = card.getByTestId('assistant-app');
  await expect(frame).toHaveAttribute('data-ready', 'true');
  // a frame of its own: scripts only, no same origin, no popups, no top navigation
  await expect(frame).toHaveAttribute('sandbox', 'allow-scripts allow-forms');
  const view = card.frameLocator('[data-testid="assistant-app"]');
  await expect(view.getByRole('heading', { name: /Invoice 1010/ })).toBeVisible();
  await expect(view.locator('[data-status]')).toHaveText('Overdue');

  // the page cannot reach the host: no cookies or storage (opaque origin), no network (CSP)
  const inside = page
    .frames()
    .find((item) => item.parentFrame() === page.mainFrame() && item !== page.mainFrame());
  if (!inside) throw new Error('the view has no frame');
  const reach = await inside.evaluate(async () => {
    const storage = (() => {
      try {
        return typeof window.localStorage.length;
      } catch {
        return 'blocked';
      }
    })();
    const network = await fetch('/api/gateway/servers').then(
      () => 'reached',
      () => 'blocked',
    );
    return { storage, network, origin: window.origin };
  });
  expect(reach).toEqual({ storage: 'blocked', network: 'blocked', origin: 'null' });

  // Send changes the books: the card asks first, and nothing is sent until the person agrees
  await view.locator('[data-action="send"]').click();
  const approval = card.locator('[data-testid="assistant-approval"][data-app="true"]');
  await expect(approval).toContainText('The view above wants to run Send invoice on billy');
  await expect(view.locator('[data-action="send"]')).toBeDisabled();
  await approval.getByTestId('assistant-reject').click();
  await expect(view.getByRole('status')).toHaveText('The user declined this action.');

  await view.locator('[data-action="send"]').click();
  await card
    .locator('[data-testid="assistant-approval"][data-app="true"]')
    .getByTestId('assistant-approve')
    .click();
  // billy asks who gets it (elicitation), on the same card, while the view stays open
  const question = card.getByTestId('assistant-question');
  await expect(question).toBeVisible();
  await question.getByTestId('assistant-question-accept').click();
  await expect(view.getByRole('status')).toContainText('Sent invoice 1010');
  await expect(frame).toBeVisible();

  // both decisions are in the audit log, as the model's would be
  const audit = await page.request.get('/api/audit?tool=send_invoice&limit=10');
  const rows = ((await audit.json()) as { rows: Array<{ outcome: string }> }).rows.map(
    (row) => row.outcome,
  );
  expect(rows).toEqual(expect.arrayContaining(['rejected', 'elicitation_accepted', 'success']));
});

test("the calendar's week view pages through weeks without asking (it only reads)", async ({
  page,
}) => {
  const card = await callFor(page, 'show_schedule for 2026-06-11', 'calendar__show_schedule');
  const view = card.frameLocator('[data-testid="assistant-app"]');
  const heading = view.getByRole('heading', { level: 1 });
  await expect(heading).toContainText(/8/);
  await expect(view.locator('.event').first()).toBeVisible();
  await view.getByRole('button', { name: 'Next week' }).click();
  await expect(heading).toContainText(/15/);
  await expect(card.getByTestId('assistant-approval')).toHaveCount(0);

  // the view follows the person's light/dark setting while it is open
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(view.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(view.locator('html')).toHaveAttribute('data-theme', 'light');
});
