import 'server-only';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Server-side settings, read once from the environment. Never imported by client code. */
export interface DashboardEnv {
  dataDir: string;
  sessionSecret: string;
  sessionSecretSource: 'env' | 'generated';
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  gatewayUrl: string | undefined;
  gatewayApiKey: string | undefined;
  openaiConfigured: boolean;
  openaiModel: string;
  openaiBaseUrl: string | undefined;
  dailyTokenQuota: number;
  tokenAlertRatio: number;
  chatRequestsPerMinute: number;
  gatewayRequestsPerMinute: number;
  /** Browser origins the gateway front accepts besides localhost ones (DNS-rebinding defence). */
  allowedOrigins: string[];
  /** Shows hosted models only the tools a turn needs, plus a search for the rest (`TEKUP_TOOL_SEARCH=off` shows all). */
  toolSearch: boolean;
  /** Demo and tests only: pins the demo fleet's and the offline model's "now". */
  demoNow: Date | undefined;
}

let cached: DashboardEnv | undefined;

function sessionSecretFrom(dataDir: string): { secret: string; source: 'env' | 'generated' } {
  const fromEnv = process.env.SESSION_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
    return { secret: fromEnv, source: 'env' };
  }
  // Embedded default: a random secret kept beside the data so sessions survive restarts.
  const file = join(dataDir, 'session-secret');
  try {
    return { secret: readFileSync(file, 'utf8').trim(), source: 'generated' };
  } catch {
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return { secret, source: 'generated' };
  }
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function demoNow(): Date | undefined {
  const raw = process.env.TEKUP_DEMO_NOW;
  if (!raw) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new Error('TEKUP_DEMO_NOW must be an ISO date-time');
  return date;
}

/** Reads the dashboard's environment (cached). */
export function env(): DashboardEnv {
  if (cached) return cached;
  const dataDir = resolve(
    /*turbopackIgnore: true*/ process.env.TEKUP_DATA_DIR ?? join(process.cwd(), '.data'),
  );
  mkdirSync(dataDir, { recursive: true });
  const { secret, source } = sessionSecretFrom(dataDir);
  cached = {
    dataDir,
    sessionSecret: secret,
    sessionSecretSource: source,
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    gatewayUrl: process.env.MCP_GATEWAY_URL?.replace(/\/+$/, '') || undefined,
    gatewayApiKey: process.env.MCP_GATEWAY_API_KEY || undefined,
    openaiConfigured: Boolean(process.env.OPENAI_API_KEY),
    openaiModel: process.env.OPENAI_MODEL || 'gpt-4o-mini',
    openaiBaseUrl: process.env.OPENAI_BASE_URL || undefined,
    dailyTokenQuota: positive('TEKUP_DAILY_TOKEN_QUOTA', 200_000),
    tokenAlertRatio: positive('TEKUP_TOKEN_ALERT_RATIO', 0.8),
    chatRequestsPerMinute: positive('TEKUP_CHAT_RATE_PER_MINUTE', 30),
    gatewayRequestsPerMinute: positive('TEKUP_GATEWAY_RATE_PER_MINUTE', 120),
    demoNow: demoNow(),
    toolSearch: process.env.TEKUP_TOOL_SEARCH !== 'off',
    allowedOrigins: (process.env.TEKUP_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
  return cached;
}
