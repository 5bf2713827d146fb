import { expect, test } from '@playwright/test';
import { resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();

test('an API key made in the UI drives POST /api/ai/query until it is revoked', async ({
  page,
  request,
}) => {
  await signIn(page, 'admin@tekup.dk');
  await page.goto('/keys');
  const name = `e2e backend ${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^tk_live_[0-9a-f]{16}_/);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  // The listed prefix is the key's public part only, never a character of its secret.
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText(
    `${key.slice(0, 'tk_live_'.length + 16)}…`,
  );

  const query = (authorization: string | undefined, data: unknown) =>
    request.post('/api/ai/query', { headers: authorization ? { authorization } : {}, data });

  const answer = await query(`Bearer ${key}`, {
    query: 'Find invoices for Nordlys Rengøring',
    context: { clientId: 'renos-42' },
  });
  expect(answer.status()).toBe(200);
  const body = (await answer.json()) as {
    answer: string;
    toolCalls: Array<{ name: string; args: Record<string, unknown> }>;
    usage: { totalTokens?: number };
  };
  expect(body.toolCalls[0]?.name).toMatch(/list_invoices$/);
  expect(body.answer).toMatch(/Found \d+ invoices/);
  expect(body.usage.totalTokens).toBeGreaterThan(0);

  expect((await query(undefined, { query: 'x' })).status()).toBe(401);
  expect(
    (
      await query('Bearer tk_live_0000000000000000_nope-nope-nope-nope-nope', { query: 'x' })
    ).status(),
  ).toBe(401);
  const invalid = await query(`Bearer ${key}`, { context: {} });
  expect(invalid.status()).toBe(400);
  expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe(
    'invalid_request',
  );

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByTestId('key-access')).toHaveText('read only');
  await row.getByRole('button', { name: /Revoke/ }).click();
  // Revoking asks first; cancelling keeps the key.
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).not.toContainText('revoked');
  await row.getByRole('button', { name: /Revoke/ }).click();
  await row.getByRole('button', { name: /Revoke key/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('revoked');
  expect(
    (await query(`Bearer ${key}`, { query: 'Find invoices for Nordlys Rengøring' })).status(),
  ).toBe(401);
});
