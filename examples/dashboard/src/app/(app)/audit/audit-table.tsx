'use client';

import { type FormEvent, useCallback, useEffect, useState } from 'react';

interface AuditRow {
  requestId: string;
  server: string;
  tool: string;
  principalId: string;
  principalKind: string;
  role: string;
  timestamp: string;
  durationMs: number;
  success: boolean;
  outcome:
    | 'success'
    | 'failure'
    | 'denied'
    | 'rate_limited'
    | 'cached'
    | 'rejected'
    | 'input_required'
    | 'elicitation_accepted'
    | 'elicitation_declined'
    | 'elicitation_cancelled'
    | 'sampling_approved'
    | 'sampling_declined';
  errorCode?: string;
  keyId?: string;
  keyName?: string;
  actorId?: string;
  cache?: string;
  instance?: string;
  userEmail?: string;
}

interface AuditResponse {
  rows: AuditRow[];
  total?: number;
  nextCursor?: string;
}

const OUTCOME_STYLE: Record<AuditRow['outcome'], string> = {
  success: 'bg-emerald-50 text-emerald-800',
  cached: 'bg-sky-50 text-sky-800',
  failure: 'bg-red-50 text-red-800',
  denied: 'bg-amber-50 text-amber-900',
  rate_limited: 'bg-violet-50 text-violet-800',
  rejected: 'bg-slate-100 text-slate-800',
  input_required: 'bg-slate-50 text-slate-700',
  elicitation_accepted: 'bg-teal-50 text-teal-800',
  elicitation_declined: 'bg-slate-100 text-slate-800',
  elicitation_cancelled: 'bg-slate-100 text-slate-800',
  sampling_approved: 'bg-teal-50 text-teal-800',
  sampling_declined: 'bg-slate-100 text-slate-800',
};

/** How an outcome reads in the table: the person's answers to a server's questions, in words. */
const OUTCOME_LABEL: Partial<Record<AuditRow['outcome'], string>> = {
  rate_limited: 'rate limited',
  input_required: 'asked the user',
  elicitation_accepted: 'form answered',
  elicitation_declined: 'form declined',
  elicitation_cancelled: 'form cancelled',
  sampling_approved: 'model use allowed',
  sampling_declined: 'model use declined',
};

/** Who made the call: the person, and the API key it came through when one did. */
function caller(row: AuditRow): string {
  const who = row.userEmail ?? row.principalId;
  if (row.keyId === undefined || row.actorId !== undefined) return who;
  const key = `API key “${row.keyName ?? row.keyId}”`;
  return row.principalKind === 'service' ? key : `${who} via ${key}`;
}

const FILTERS = ['user', 'server', 'tool', 'outcome', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function query(filters: Filters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filters[name];
    if (value)
      params.set(name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value);
  }
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** The audit log: filters, a paged table and CSV export. */
export function AuditTable() {
  const [filters, setFilters] = useState<Filters>({});
  const [pages, setPages] = useState<string[]>(['']);
  const [data, setData] = useState<AuditResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const cursor = pages[pages.length - 1] ?? '';

  const load = useCallback(async (active: Filters, at: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const response = await fetch(`/api/audit?${query(active, at || undefined)}`);
      const body = (await response.json()) as AuditResponse & { error?: { message: string } };
      if (!response.ok)
        throw new Error(body.error?.message ?? `Audit request failed (${response.status})`);
      setData(body);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(filters, cursor);
  }, [filters, cursor, load]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: Filters = {};
    for (const name of FILTERS) {
      const value = form.get(name);
      if (typeof value === 'string' && value.trim()) next[name] = value.trim();
    }
    setPages(['']);
    setFilters(next);
  }

  const input = 'w-full rounded-lg border border-slate-300 px-2 py-1.5 text-sm';
  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        aria-label="Filter the audit log"
        className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-7"
      >
        <div>
          <label htmlFor="filter-user" className="text-slate-600 text-xs">
            User (email or id)
          </label>
          <input id="filter-user" name="user" className={input} defaultValue={filters.user} />
        </div>
        <div>
          <label htmlFor="filter-server" className="text-slate-600 text-xs">
            Server
          </label>
          <input id="filter-server" name="server" className={input} defaultValue={filters.server} />
        </div>
        <div>
          <label htmlFor="filter-tool" className="text-slate-600 text-xs">
            Tool
          </label>
          <input id="filter-tool" name="tool" className={input} defaultValue={filters.tool} />
        </div>
        <div>
          <label htmlFor="filter-outcome" className="text-slate-600 text-xs">
            Outcome
          </label>
          <select
            id="filter-outcome"
            name="outcome"
            className={input}
            defaultValue={filters.outcome ?? ''}
          >
            <option value="">any</option>
            <option value="success">success</option>
            <option value="cached">cached</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
            <option value="rate_limited">rate limited</option>
            <option value="rejected">rejected by the user</option>
            <option value="input_required">asked the user</option>
            <option value="elicitation_accepted">form answered</option>
            <option value="elicitation_declined">form declined</option>
            <option value="elicitation_cancelled">form cancelled</option>
            <option value="sampling_approved">model use allowed</option>
            <option value="sampling_declined">model use declined</option>
          </select>
        </div>
        <div>
          <label htmlFor="filter-from" className="text-slate-600 text-xs">
            From
          </label>
          <input id="filter-from" name="from" type="datetime-local" className={input} />
        </div>
        <div>
          <label htmlFor="filter-to" className="text-slate-600 text-xs">
            To
          </label>
          <input id="filter-to" name="to" type="datetime-local" className={input} />
        </div>
        <div className="flex items-end gap-2">
          <button
            type="submit"
            className="rounded-lg bg-brand-600 px-3 py-1.5 font-medium text-sm text-white hover:bg-brand-700"
          >
            Apply
          </button>
          <a
            href={`/api/audit?${query(filters)}&format=csv`}
            className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
            download
          >
            CSV
          </a>
        </div>
      </form>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700 text-sm">
          {error}
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="audit-table" aria-busy={loading}>
          <caption className="sr-only">Audit log entries, newest first</caption>
          <thead className="bg-slate-50 text-slate-600 text-xs uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Time
              </th>
              <th scope="col" className="px-3 py-2">
                User
              </th>
              <th scope="col" className="px-3 py-2">
                Server
              </th>
              <th scope="col" className="px-3 py-2">
                Tool
              </th>
              <th scope="col" className="px-3 py-2">
                Outcome
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Duration
              </th>
              <th scope="col" className="px-3 py-2">
                Detail
              </th>
            </tr>
          </thead>
          <tbody>
            {data && data.rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-slate-500">
                  No tool calls match.
                </td>
              </tr>
            ) : null}
            {data?.rows.map((row) => (
              <tr
                key={row.requestId}
                className="border-slate-100 border-t"
                data-outcome={row.outcome}
                data-tool={row.tool}
              >
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                  {new Date(row.timestamp).toLocaleString('en-GB')}
                </td>
                <td className="px-3 py-2">{caller(row)}</td>
                <td className="px-3 py-2">{row.server}</td>
                <td className="px-3 py-2 font-mono text-xs">{row.tool}</td>
                <td className="px-3 py-2">
                  <span
                    className={`rounded-full px-2 py-0.5 font-medium text-xs ${OUTCOME_STYLE[row.outcome]}`}
                  >
                    {OUTCOME_LABEL[row.outcome] ?? row.outcome}
                  </span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {row.outcome === 'rejected' ? '—' : `${row.durationMs} ms`}
                </td>
                <td className="px-3 py-2 text-slate-600 text-xs">
                  {[row.errorCode, row.cache && `cache ${row.cache}`].filter(Boolean).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Audit pages" className="flex items-center justify-between text-sm">
        <span className="text-slate-600">
          {data?.total !== undefined ? `${data.total} matching calls` : ''}
        </span>
        <span className="flex gap-2">
          <button
            type="button"
            disabled={pages.length <= 1}
            onClick={() => setPages((current) => current.slice(0, -1))}
            className="rounded-lg border border-slate-300 px-3 py-1 disabled:opacity-50"
          >
            Newer
          </button>
          <button
            type="button"
            disabled={!data?.nextCursor}
            onClick={() =>
              data?.nextCursor && setPages((current) => [...current, data.nextCursor as string])
            }
            className="rounded-lg border border-slate-300 px-3 py-1 disabled:opacity-50"
          >
            Older
          </button>
        </span>
      </nav>
    </div>
  );
}
