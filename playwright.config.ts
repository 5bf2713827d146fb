import { defineConfig, devices } from '@playwright/test';

const chromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium';
const MOCK_GATEWAY_PORT = 4400;
const OPENAI_MOCK_PORT = 4410;
const DASHBOARD_PORT = 3100;
const DASHBOARD_OPENAI_PORT = 3101;
/** The demo data's and the offline model's clock in e2e: dates in answers never depend on the day the suite runs. */
const DEMO_NOW = '2026-06-10T09:00:00.000Z';
/** The trusted key the dashboard uses to call the mock gateway on behalf of signed-in users. */
const E2E_GATEWAY_KEY = 'tk_test_0e2e0e2e0e2e0e2e_dashboardTrustedKeyForEndToEndTests';

const dashboardEnv = (port: number, dataDir: string, extra: Record<string, string> = {}) => ({
  PORT: String(port),
  TEKUP_DATA_DIR: dataDir,
  SESSION_SECRET: 'e2e-session-secret-e2e-session-secret-0123',
  MCP_GATEWAY_URL: `http://127.0.0.1:${MOCK_GATEWAY_PORT}`,
  MCP_GATEWAY_API_KEY: E2E_GATEWAY_KEY,
  // Embedded stores only: e2e must not depend on (or pollute) the machine's Redis/Postgres.
  REDIS_URL: '',
  DATABASE_URL: '',
  OPENAI_API_KEY: '',
  TEKUP_DEMO_NOW: DEMO_NOW,
  ...extra,
});

export default defineConfig({
  testDir: './e2e/tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: `http://127.0.0.1:${DASHBOARD_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    {
      command: 'node --import tsx mock-gateway/main.ts',
      cwd: 'e2e',
      url: `http://127.0.0.1:${MOCK_GATEWAY_PORT}/health`,
      env: {
        MOCK_GATEWAY_PORT: String(MOCK_GATEWAY_PORT),
        OPENAI_MOCK_PORT: String(OPENAI_MOCK_PORT),
        E2E_GATEWAY_KEY,
        E2E_NOW: DEMO_NOW,
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
    {
      // The production build (`pnpm e2e` runs `next build` first), not dev mode.
      command:
        'rm -rf examples/dashboard/.data/e2e-offline && npm --prefix examples/dashboard run start',
      // Readiness, not a page: the page answers before the stores and the fleet are up.
      url: `http://127.0.0.1:${DASHBOARD_PORT}/api/ready`,
      env: dashboardEnv(DASHBOARD_PORT, '.data/e2e-offline'),
      reuseExistingServer: false,
      timeout: 300_000,
    },
    {
      // Same build, OpenAI path: @ai-sdk/openai against the local OpenAI-compatible mock.
      command:
        'rm -rf examples/dashboard/.data/e2e-openai && npm --prefix examples/dashboard run start',
      url: `http://127.0.0.1:${DASHBOARD_OPENAI_PORT}/api/ready`,
      env: dashboardEnv(DASHBOARD_OPENAI_PORT, '.data/e2e-openai', {
        OPENAI_API_KEY: 'sk-e2e-local-mock',
        OPENAI_BASE_URL: `http://127.0.0.1:${OPENAI_MOCK_PORT}/v1`,
        OPENAI_MODEL: 'mock-tool-caller',
      }),
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
});
