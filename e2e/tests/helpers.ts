import { type Page, expect, request as playwrightRequest, test } from '@playwright/test';

/** The mock gateway's control API (see e2e/mock-gateway/main.ts). */
const CONTROL_URL = 'http://127.0.0.1:4401';
/** The dashboard started with the OpenAI-compatible mock as its model. */
export const OPENAI_DASHBOARD_URL = 'http://127.0.0.1:3101';
export const PASSWORD = 'tekup-demo';
/** The pinned demo clock (playwright.config.ts). */
export const DEMO_NOW = new Date('2026-06-10T09:00:00.000Z');

/** Sends a command to the mock gateway's control API. */
export async function control<T = unknown>(path: string, body?: unknown): Promise<T> {
  const context = await playwrightRequest.newContext();
  try {
    const response =
      body === undefined
        ? await context.get(`${CONTROL_URL}${path}`)
        : await context.post(`${CONTROL_URL}${path}`, { data: body });
    expect(response.ok(), `control ${path} answered ${response.status()}`).toBeTruthy();
    return (await response.json()) as T;
  } finally {
    await context.dispose();
  }
}

/** Organizations of the demo, as the mock gateway's control API names whom a call acts for. */
export const ORGANIZATIONS = {
  tekup: {
    id: '10000000-0000-4000-8000-000000000001',
    role: 'admin',
    tenantId: '00000000-0000-4000-8000-000000000001',
  },
  nordlys: {
    id: '10000000-0000-4000-8000-000000000003',
    role: 'member',
    tenantId: '00000000-0000-4000-8000-000000000002',
  },
} as const;

/**
 * Calls a tool on the mock gateway directly (the trusted e2e key, acting for a user of
 * `organization`, Tekup Demo ApS by default) to read system state.
 */
export async function callTool<T = Record<string, unknown>>(
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
  organization: keyof typeof ORGANIZATIONS = 'tekup',
): Promise<T> {
  const answer = await control<{ result?: { structuredContent?: T }; error?: unknown }>('/call', {
    server,
    tool,
    arguments: args,
    as: ORGANIZATIONS[organization],
  });
  if (!answer.result?.structuredContent)
    throw new Error(`${server}/${tool} failed: ${JSON.stringify(answer.error ?? answer)}`);
  return answer.result.structuredContent;
}

/** Signs in through the real form. */
export async function signIn(
  page: Page,
  email = 'admin@tekup.dk',
  baseURL?: string,
): Promise<void> {
  await page.goto(`${baseURL ?? ''}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Types a message into the assistant and sends it. */
export async function ask(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('assistant-input');
  await input.fill(text);
  await page.getByTestId('assistant-send').click();
}

/** The last assistant message in the transcript. */
export function lastAnswer(page: Page) {
  return page.locator('[data-testid="assistant-message"][data-role="assistant"]').last();
}

/** Every test starts from a healthy mock gateway. */
export function resetFaultsBeforeEach(): void {
  test.beforeEach(async () => {
    await control('/reset', {});
  });
}

/** Sends a message and returns the card of the tool call it leads to. */
export async function callFor(page: Page, text: string, tool: string) {
  await page.getByTestId('assistant-input').fill(text);
  await page.getByTestId('assistant-send').click();
  const card = page.locator(`[data-testid="assistant-tool-card"][data-tool="${tool}"]`).last();
  await expect(card).toBeVisible();
  return card;
}
