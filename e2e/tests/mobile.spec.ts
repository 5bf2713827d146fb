import { expect, test } from '@playwright/test';
import { ask, lastAnswer, resetFaultsBeforeEach, signIn } from './helpers';

resetFaultsBeforeEach();
test.use({ viewport: { width: 375, height: 740 }, hasTouch: true });

test('the floating launcher on a 375 px wide screen', async ({ page }, testInfo) => {
  await signIn(page, 'member@tekup.dk');
  await page.goto('/?variant=floating');
  const launcher = page.getByTestId('assistant-launcher');
  await expect(launcher).toBeVisible();
  await launcher.click();
  const input = page.getByTestId('assistant-input');
  await expect(input).toBeVisible();
  await ask(page, 'Check my calendar tomorrow');
  await expect(page.getByTestId('assistant-tool-card').first()).toHaveAttribute(
    'data-state',
    'output-available',
  );
  await expect(lastAnswer(page)).toContainText(/event/i);
  // Escape stops a running turn before it closes the panel: wait until the turn has ended.
  await expect(page.getByTestId('assistant-stop')).toHaveCount(0);
  // The panel fits the screen: nothing scrolls sideways.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await testInfo.attach('floating-375', {
    body: await page.screenshot(),
    contentType: 'image/png',
  });
  await page.keyboard.press('Escape');
  await expect(input).toHaveCount(0);
  await expect(launcher).toBeFocused();
});
