import 'server-only';
import { database } from './db';

/** One user's chat usage on one day. */
export interface UsageRow {
  userId: string;
  email: string | null;
  day: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Counts one chat request for a user today. */
export async function recordChatRequest(userId: string): Promise<void> {
  const db = await database();
  await db.query(
    `insert into dashboard_usage (user_id, day, requests) values ($1, $2, 1)
     on conflict (user_id, day) do update set requests = dashboard_usage.requests + 1`,
    [userId, today()],
  );
}

/** Adds the tokens a finished chat response used. */
export async function recordTokens(
  userId: string,
  inputTokens: number,
  outputTokens: number,
): Promise<void> {
  const db = await database();
  await db.query(
    `insert into dashboard_usage (user_id, day, input_tokens, output_tokens) values ($1, $2, $3, $4)
     on conflict (user_id, day) do update set
       input_tokens = dashboard_usage.input_tokens + excluded.input_tokens,
       output_tokens = dashboard_usage.output_tokens + excluded.output_tokens`,
    [userId, today(), Math.max(0, Math.round(inputTokens)), Math.max(0, Math.round(outputTokens))],
  );
}

/** Tokens a user has used today. */
export async function tokensToday(userId: string): Promise<number> {
  const db = await database();
  const [row] = await db.query<{ total: string | number | null }>(
    'select input_tokens + output_tokens as total from dashboard_usage where user_id = $1 and day = $2',
    [userId, today()],
  );
  return Number(row?.total ?? 0);
}

/** Usage per user per day for the last `days` days, newest first. */
export async function usageByDay(options: { days: number; userId?: string }): Promise<UsageRow[]> {
  const db = await database();
  const since = new Date(Date.now() - (options.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const params: unknown[] = [since];
  let filter = '';
  if (options.userId) {
    params.push(options.userId);
    filter = ' and u.user_id = $2';
  }
  const rows = await db.query<{
    user_id: string;
    email: string | null;
    day: string;
    requests: number;
    input_tokens: string | number;
    output_tokens: string | number;
  }>(
    `select u.user_id, d.email, to_char(u.day, 'YYYY-MM-DD') as day, u.requests, u.input_tokens, u.output_tokens
       from dashboard_usage u left join dashboard_users d on d.id = u.user_id
      where u.day >= $1${filter}
      order by u.day desc, d.email nulls last`,
    params,
  );
  return rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    day: row.day,
    requests: Number(row.requests),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
  }));
}
