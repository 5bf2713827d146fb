import { AUDIT_OUTCOMES } from '@tekup/mcp-gateway';
import { authenticate } from '@/server/auth';
import { runtime } from '@/server/gateway';
import { ApiError, handle, json } from '@/server/http';
import { listUsers } from '@/server/users';

const OUTCOMES = new Set<string>(AUDIT_OUTCOMES);
const CSV_COLUMNS = [
  'timestamp',
  'request_id',
  'user',
  'api_key',
  'role',
  'server',
  'tool',
  'outcome',
  'success',
  'duration_ms',
  'error_code',
  'cache',
  'instance',
] as const;

function date(value: string | null, name: string): Date | undefined {
  if (!value) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new ApiError('invalid_request', `${name}: not a date.`);
  return parsed;
}

/** Quotes a CSV field and defuses spreadsheet formulas (CSV injection). */
function csvField(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const caller = await authenticate(request);
    if (caller.kind !== 'user') throw new ApiError('forbidden', 'Sign in to read the audit log.');
    const { user } = caller;
    const url = new URL(request.url);
    const params = url.searchParams;
    const outcome = params.get('outcome') || undefined;
    if (outcome && !OUTCOMES.has(outcome))
      throw new ApiError('invalid_request', 'outcome: unknown value.');
    const users = await listUsers(user.tenantId);
    const emailById = new Map(users.map((entry) => [entry.id, entry.email]));
    let userId = params.get('user')?.trim() || undefined;
    if (userId?.includes('@')) {
      userId =
        users.find((entry) => entry.email.toLowerCase() === userId?.toLowerCase())?.id ?? userId;
    }
    // Members read only their own calls; admins read their whole organization.
    if (user.role !== 'admin') userId = user.id;
    const csv = params.get('format') === 'csv';
    const limit = csv ? 500 : Math.min(200, Math.max(1, Number(params.get('limit') ?? 25) || 25));
    const { auditStore, flushAudit } = await runtime();
    // The page reads its own writes; with the database away it answers (or fails) fast.
    await flushAudit(1000);
    const page = await auditStore.query({
      userId,
      server: params.get('server') || undefined,
      tool: params.get('tool') || undefined,
      outcome: outcome as never,
      tenantId: user.tenantId,
      from: date(params.get('from'), 'from'),
      to: date(params.get('to'), 'to'),
      limit,
      cursor: params.get('cursor') || undefined,
      withTotal: !csv,
    });
    const rows = page.rows.map((row) => ({
      ...row,
      timestamp: row.timestamp.toISOString(),
      userEmail: emailById.get(row.principalId),
      arguments: undefined,
    }));
    if (csv) {
      const lines = [CSV_COLUMNS.join(',')];
      for (const row of rows) {
        lines.push(
          [
            row.timestamp,
            row.requestId,
            row.userEmail ?? row.principalId,
            row.keyName ?? row.keyId,
            row.role,
            row.server,
            row.tool,
            row.outcome,
            row.success,
            row.durationMs,
            row.errorCode,
            row.cache,
            row.instance,
          ]
            .map(csvField)
            .join(','),
        );
      }
      return new Response(`${lines.join('\r\n')}\r\n`, {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
          'cache-control': 'no-store',
        },
      });
    }
    return json({ rows, total: page.total, nextCursor: page.nextCursor });
  });
}
