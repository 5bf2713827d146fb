import 'server-only';
import { database } from './db';

/** Who spends model tokens: a signed-in user (`/api/chat`) or an API key (`/api/ai/query`). */
export interface UsageSubject {
  id: string;
  kind: 'user' | 'api_key';
  tenantId: string;
}

/** One subject's usage on one day. */
export interface UsageRow {
  subjectId: string;
  kind: 'user' | 'api_key';
  /** The user's e-mail, or the key's name. */
  label: string | null;
  day: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Counts one model request for a subject today. */
export async function recordRequest(subject: UsageSubject): Promise<void> {
  const db = await database();
  await db.query(
    `insert into dashboard_usage (user_id, subject_kind, tenant_id, day, requests) values ($1, $2, $3, $4, 1)
     on conflict (user_id, day) do update set requests = dashboard_usage.requests + 1`,
    [subject.id, subject.kind, subject.tenantId, today()],
  );
}

/** Adds the tokens a finished model response used. */
export async function recordTokens(
  subject: UsageSubject,
  inputTokens: number,
  outputTokens: number,
): Promise<void> {
  const db = await database();
  await db.query(
    `insert into dashboard_usage (user_id, subject_kind, tenant_id, day, input_tokens, output_tokens)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (user_id, day) do update set
       input_tokens = dashboard_usage.input_tokens + excluded.input_tokens,
       output_tokens = dashboard_usage.output_tokens + excluded.output_tokens`,
    [
      subject.id,
      subject.kind,
      subject.tenantId,
      today(),
      Math.max(0, Math.round(inputTokens)),
      Math.max(0, Math.round(outputTokens)),
    ],
  );
}

/** Tokens a subject has used today. */
export async function tokensToday(subjectId: string): Promise<number> {
  const db = await database();
  const [row] = await db.query<{ total: string | number | null }>(
    'select input_tokens + output_tokens as total from dashboard_usage where user_id = $1 and day = $2',
    [subjectId, today()],
  );
  return Number(row?.total ?? 0);
}

/**
 * Usage of one organization per subject per day for the last `days` days, newest first; only
 * one subject's when `subjectId` is given.
 */
export async function usageByDay(options: {
  days: number;
  tenantId: string;
  subjectId?: string;
}): Promise<UsageRow[]> {
  const db = await database();
  const since = new Date(Date.now() - (options.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const params: unknown[] = [since, options.tenantId];
  let filter = '';
  if (options.subjectId) {
    params.push(options.subjectId);
    filter = ' and u.user_id = $3';
  }
  const rows = await db.query<{
    user_id: string;
    subject_kind: 'user' | 'api_key';
    label: string | null;
    day: string;
    requests: number;
    input_tokens: string | number;
    output_tokens: string | number;
  }>(
    `select u.user_id, u.subject_kind, coalesce(d.email, k.name) as label,
            to_char(u.day, 'YYYY-MM-DD') as day, u.requests, u.input_tokens, u.output_tokens
       from dashboard_usage u
       left join dashboard_users d on u.subject_kind = 'user' and d.id::text = u.user_id and d.tenant_id = u.tenant_id
       left join dashboard_api_keys k on u.subject_kind = 'api_key' and k.id = u.user_id and k.tenant_id = u.tenant_id
      where u.day >= $1 and u.tenant_id = $2${filter}
      order by u.day desc, label nulls last`,
    params,
  );
  return rows.map((row) => ({
    subjectId: row.user_id,
    kind: row.subject_kind,
    label: row.label,
    day: row.day,
    requests: Number(row.requests),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
  }));
}
