import { expect, test } from '@playwright/test';
import { PASSWORD, signIn } from './helpers';

test('a signed-out visit redirects to sign-in and comes back after it', async ({ page }) => {
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/login\?next=%2Faudit/);
  await page.getByLabel('Email').fill('member@tekup.dk');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
});

test('a wrong password is refused with a message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@tekup.dk');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/login\?error=invalid/);
});

test('sign out ends the session', async ({ page }) => {
  await signIn(page, 'admin@tekup.dk');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('a member sees no admin pages and cannot open them', async ({ page }) => {
  await signIn(page, 'member@tekup.dk');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  for (const path of ['/keys', '/settings']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/\?denied=admin$/);
    await expect(page.getByRole('alert').filter({ hasText: 'admins only' })).toBeVisible();
  }
  const response = await page.request.get('/api/keys');
  expect(response.status()).toBe(403);
});
