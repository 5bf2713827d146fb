import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/server/current-user';
import { env } from '@/server/env';
import { type UsageRow, usageByDay } from '@/server/usage';

export const metadata: Metadata = { title: 'Usage' };
export const dynamic = 'force-dynamic';

const number = new Intl.NumberFormat('en-GB');

function subjectName(row: UsageRow): string {
  const name = row.label ?? row.subjectId;
  return row.kind === 'api_key' ? `API key “${name}”` : name;
}

export default async function UsagePage() {
  const user = await requireUser();
  const { dailyTokenQuota, tokenAlertRatio } = env();
  // Members see their own spending; admins their organization's (users and API keys).
  const rows = await usageByDay({
    days: 14,
    tenantId: user.tenantId,
    ...(user.role === 'admin' ? {} : { subjectId: user.id }),
  });
  const today = new Date().toISOString().slice(0, 10);
  const overThreshold = rows.filter(
    (row) =>
      row.day === today && row.inputTokens + row.outputTokens >= dailyTokenQuota * tokenAlertRatio,
  );
  return (
    <>
      <PageHeader
        title="Usage"
        description={`Chat and AI query requests and model tokens per user and API key per day in ${user.tenantName} (last 14 days). Daily quota: ${number.format(dailyTokenQuota)} tokens per user.`}
      />
      {user.role === 'admin' && overThreshold.length > 0 ? (
        <div
          role="alert"
          data-testid="quota-alert"
          className="mb-4 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm"
        >
          <p className="font-medium">Spending alert</p>
          <ul className="mt-1 list-inside list-disc">
            {overThreshold.map((row) => (
              <li key={row.subjectId}>
                {subjectName(row)} has used {number.format(row.inputTokens + row.outputTokens)}{' '}
                tokens today (
                {Math.round(((row.inputTokens + row.outputTokens) / dailyTokenQuota) * 100)} % of
                the quota).
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="usage-table">
          <caption className="sr-only">Usage per user per day</caption>
          <thead className="bg-slate-50 text-slate-600 text-xs uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Day
              </th>
              <th scope="col" className="px-4 py-2">
                User
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Requests
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Input tokens
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Output tokens
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Quota used
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-slate-500">
                  No chat usage yet. Ask the assistant something.
                </td>
              </tr>
            ) : null}
            {rows.map((row) => {
              const used = (row.inputTokens + row.outputTokens) / dailyTokenQuota;
              return (
                <tr key={`${row.day}-${row.subjectId}`} className="border-slate-100 border-t">
                  <td className="px-4 py-2 font-mono text-xs">{row.day}</td>
                  <td className="px-4 py-2">{subjectName(row)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {number.format(row.requests)}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {number.format(row.inputTokens)}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {number.format(row.outputTokens)}
                  </td>
                  <td className="px-4 py-2 text-right">
                    <span className="inline-flex items-center gap-2">
                      <span
                        aria-hidden="true"
                        className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-100"
                      >
                        <span
                          className={`block h-full ${used >= tokenAlertRatio ? 'bg-amber-500' : 'bg-brand-500'}`}
                          style={{ width: `${Math.min(100, used * 100)}%` }}
                        />
                      </span>
                      <span className="tabular-nums">{(used * 100).toFixed(1)} %</span>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
