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
  // The Regenerate action appears once the answer is complete.
  await page.getByTestId('assistant-regenerate').waitFor({ timeout: 30000 });
} catch (error) {
  console.log('wait failed', error.message);
}
await page.screenshot({ path: '/tmp/shots/assistant.png', fullPage: true });
for (const path of (process.env.PAGES ?? '/audit,/health,/usage,/keys,/settings').split(',')) {
  await page.goto(`${base}${path}`);
  // Client-rendered tables and live figures load after the page: wait for the network to settle.
  await page.waitForLoadState('networkidle');
  await page.screenshot({
    path: `/tmp/shots/${path.replace(/\//g, '') || 'root'}.png`,
    fullPage: true,
  });
}
await browser.close();
