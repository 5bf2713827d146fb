import { chromium } from '@playwright/test';
const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
page.on('console', (m) => {
  if (m.type() === 'error') console.log('console error:', m.text());
});
await page.goto(`${base}/login`);
await page.screenshot({ path: '/tmp/shots/login.png' });
await page.getByLabel('Email').fill(process.env.EMAIL ?? 'admin@tekup.dk');
await page.getByLabel('Password').fill('tekup-demo');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByTestId('assistant-input').waitFor({ timeout: 30000 });
await page
  .getByTestId('assistant-input')
  .fill(process.env.ASK ?? 'Find invoices for Nordlys Rengøring');
await page.getByTestId('assistant-send').click();
try {
  await page
    .locator('[data-testid="assistant-message"][data-role="assistant"]')
    .last()
    .waitFor({ timeout: 30000 });
  await page.waitForTimeout(4000);
} catch (error) {
  console.log('wait failed', error.message);
}
await page.screenshot({ path: '/tmp/shots/assistant.png', fullPage: true });
for (const path of (process.env.PAGES ?? '/audit,/health,/usage,/keys,/settings').split(',')) {
  await page.goto(`${base}${path}`);
  await page.waitForTimeout(2500);
  await page.screenshot({
    path: `/tmp/shots/${path.replace(/\//g, '') || 'root'}.png`,
    fullPage: true,
  });
}
await browser.close();
