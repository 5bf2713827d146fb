import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { seesInfrastructure } from '@tekup/mcp-gateway';
import { userPrincipal } from '@/server/auth';
import { requireAdmin } from '@/server/current-user';
import { env } from '@/server/env';
import { OPERATORS } from '@/server/gateway';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

/** Shows a URL's scheme and host only: credentials and paths never reach the page. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

export default async function SettingsPage() {
  const admin = await requireAdmin();
  const settings = env();
  // Where the infrastructure lives is for the organization that runs it, not for its customers.
  const operator = seesInfrastructure(userPrincipal(admin), OPERATORS);
  const host = (url: string) => (operator ? hostOf(url) : 'the operator’s server');
  const rows = [
    {
      concern: 'Language model',
      active: settings.openaiConfigured
        ? `OpenAI-compatible · ${settings.openaiModel}${settings.openaiBaseUrl ? ` at ${host(settings.openaiBaseUrl)}` : ''}`
        : 'Offline model (deterministic planner, no network)',
      why: settings.openaiConfigured
        ? `OPENAI_API_KEY is set${settings.openaiBaseUrl ? ' and OPENAI_BASE_URL points at a compatible server (chat completions)' : ''}.`
        : 'OPENAI_API_KEY is not set.',
    },
    {
      concern: 'Cache and rate limits',
      active: settings.redisUrl
        ? `Redis at ${host(settings.redisUrl)}`
        : 'In-process (LRU cache, GCRA rate limits)',
      why: settings.redisUrl
        ? 'REDIS_URL is set: every dashboard instance shares one cache and one limit.'
        : 'REDIS_URL is not set: fine for one instance.',
    },
    {
      concern: 'Audit log and dashboard data',
      active: settings.databaseUrl
        ? `Postgres at ${host(settings.databaseUrl)}`
        : `Embedded Postgres (PGlite)${operator ? ` in ${settings.dataDir}` : ''}`,
      why: settings.databaseUrl ? 'DATABASE_URL is set.' : 'DATABASE_URL is not set.',
    },
    {
      concern: 'Upstream MCP gateway',
      active: settings.gatewayUrl
        ? `Standalone gateway at ${host(settings.gatewayUrl)}`
        : 'In-process gateway over the demo fleet',
      why: settings.gatewayUrl
        ? `MCP_GATEWAY_URL is set; calls carry ${settings.gatewayApiKey ? 'the dashboard key (MCP_GATEWAY_API_KEY) on behalf of the signed-in user' : 'no key (MCP_GATEWAY_API_KEY is not set)'}.`
        : 'MCP_GATEWAY_URL is not set.',
    },
    {
      concern: 'Session cookies',
      active: 'Sealed (iron-session), httpOnly, SameSite=Lax, Secure on HTTPS',
      why:
        settings.sessionSecretSource === 'env'
          ? 'SESSION_SECRET is set.'
          : 'SESSION_SECRET is not set: a random secret was generated into the data directory.',
    },
    {
      concern: 'Chat cost control',
      active: `${settings.dailyTokenQuota.toLocaleString('en-GB')} tokens per user per day; alert at ${Math.round(settings.tokenAlertRatio * 100)} %; ${settings.chatRequestsPerMinute} chat requests per minute`,
      why: 'TEKUP_DAILY_TOKEN_QUOTA, TEKUP_TOKEN_ALERT_RATIO, TEKUP_CHAT_RATE_PER_MINUTE.',
    },
  ];
  return (
    <>
      <PageHeader
        title="Settings"
        description="Which engines this dashboard runs on, and why. Change them with environment variables (see .env.example)."
      />
      <dl
        className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white"
        data-testid="settings"
      >
        {rows.map((row) => (
          <div key={row.concern} className="grid gap-1 px-4 py-3 md:grid-cols-[14rem_1fr]">
            <dt className="font-medium text-sm">{row.concern}</dt>
            <dd className="text-sm">
              <p>{row.active}</p>
              <p className="text-slate-500 text-xs">{row.why}</p>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
