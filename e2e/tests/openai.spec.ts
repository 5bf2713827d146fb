import { expect, test } from '@playwright/test';
import {
  OPENAI_DASHBOARD_URL,
  ask,
  control,
  lastAnswer,
  resetFaultsBeforeEach,
  signIn,
} from './helpers';

resetFaultsBeforeEach();

test('the OpenAI path: @ai-sdk/openai against a local OpenAI-compatible server that streams a tool call', async ({
  page,
}) => {
  const before = (await control<unknown[]>('/openai/requests')).length;
  await signIn(page, 'admin@tekup.dk', OPENAI_DASHBOARD_URL);
  await page.getByTestId('assistant-new-thread').click();
  await ask(page, 'Find invoices for Nordlys Rengøring');
  const card = page.getByTestId('assistant-tool-card').first();
  await expect(card).toHaveAttribute('data-tool', /list_invoices/);
  await expect(card).toHaveAttribute('data-state', 'output-available');
  await expect(lastAnswer(page)).toContainText(/Mock OpenAI says: I found \d+ invoices/);
  // Not the offline model: no badge.
  await expect(page.getByTestId('assistant-offline-badge')).toHaveCount(0);
  const requests = (
    await control<Array<{ model: string; tools?: unknown[] }>>('/openai/requests')
  ).slice(before);
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests[0]?.model).toBe('mock-tool-caller');
  expect(requests[0]?.tools?.length).toBeGreaterThan(0);
});
