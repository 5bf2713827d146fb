'use client';

import { type FormEvent, useState } from 'react';
import type { ApiKeySummary } from '@/server/api-keys';

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } } & T;
  if (!response.ok) throw new Error(body.error?.message ?? `Request failed (${response.status})`);
  return body;
}

/** Create, list and revoke API keys. */
export function ApiKeysPanel({ initialKeys }: { initialKeys: ApiKeySummary[] }) {
  const [keys, setKeys] = useState(initialKeys);
  const [created, setCreated] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | undefined>();

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const result = await request<{ key: string; summary: ApiKeySummary }>('/api/keys', {
        method: 'POST',
        body: JSON.stringify({
          name: form.get('name'),
          role: form.get('role'),
          access: form.get('access'),
        }),
      });
      setCreated(result.key);
      setKeys((current) => [result.summary, ...current]);
      (event.target as HTMLFormElement).reset();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  async function onRevoke(id: string) {
    setError(undefined);
    setConfirming(undefined);
    try {
      await request(`/api/keys/${id}`, { method: 'DELETE' });
      setKeys((current) =>
        current.map((key) =>
          key.id === id ? { ...key, revokedAt: new Date().toISOString() } : key,
        ),
      );
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <div className="space-y-6">
      <form
        onSubmit={onCreate}
        className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4"
      >
        <div className="space-y-1">
          <label htmlFor="key-name" className="font-medium text-sm">
            Name
          </label>
          <input
            id="key-name"
            name="name"
            required
            maxLength={80}
            placeholder="e.g. RenOS backend"
            className="w-64 rounded-lg border border-slate-300 px-3 py-2 text-sm"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="key-role" className="font-medium text-sm">
            Role
          </label>
          <select
            id="key-role"
            name="role"
            className="rounded-lg border border-slate-300 px-3 py-2 text-sm"
          >
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="key-access" className="font-medium text-sm">
            Access
          </label>
          <select
            id="key-access"
            name="access"
            defaultValue="read"
            aria-describedby="key-access-help"
            className="rounded-lg border border-slate-300 px-3 py-2 text-sm"
          >
            <option value="read">Read only</option>
            <option value="read-write">Read and write</option>
          </select>
        </div>
        <button
          type="submit"
          disabled={busy}
          className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-sm text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Create key
        </button>
        <p id="key-access-help" className="basis-full text-slate-600 text-xs">
          Read-only keys can call tools that only read. With read and write, a key's calls
          (including <code>POST /api/ai/query</code>, which runs without anyone approving) may
          create, approve and send invoices.
        </p>
      </form>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700 text-sm">
          {error}
        </p>
      ) : null}
      {created ? (
        <div role="status" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium">Copy this key now — it will not be shown again.</p>
          <code
            data-testid="new-api-key"
            className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs"
          >
            {created}
          </code>
        </div>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">API keys</caption>
          <thead className="bg-slate-50 text-slate-600 text-xs uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Key
              </th>
              <th scope="col" className="px-4 py-2">
                Role
              </th>
              <th scope="col" className="px-4 py-2">
                Access
              </th>
              <th scope="col" className="px-4 py-2">
                Created
              </th>
              <th scope="col" className="px-4 py-2">
                Last used
              </th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-4 py-6 text-center text-slate-500">
                  No API keys yet.
                </td>
              </tr>
            ) : null}
            {keys.map((key) => (
              <tr key={key.id} className="border-slate-100 border-t">
                <td className="px-4 py-2 font-medium">{key.name}</td>
                <td className="px-4 py-2 font-mono text-xs">{key.prefix}…</td>
                <td className="px-4 py-2">{key.role}</td>
                <td className="px-4 py-2" data-testid="key-access">
                  {key.access === 'read-write' ? 'read and write' : 'read only'}
                </td>
                <td className="px-4 py-2 text-slate-600">
                  {new Date(key.createdAt).toLocaleString('en-GB')}
                </td>
                <td className="px-4 py-2 text-slate-600">
                  {key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString('en-GB') : '—'}
                </td>
                <td className="px-4 py-2 text-right">
                  {key.revokedAt ? (
                    <span className="text-slate-500 text-xs">revoked</span>
                  ) : confirming === key.id ? (
                    <fieldset
                      aria-label={`Confirm revoking ${key.name}`}
                      className="inline-flex items-center gap-2"
                    >
                      <span className="text-slate-700 text-xs">Callers using it stop working.</span>
                      <button
                        type="button"
                        onClick={() => onRevoke(key.id)}
                        className="rounded-md bg-red-700 px-2 py-1 font-medium text-white text-xs hover:bg-red-800"
                      >
                        Revoke key<span className="sr-only"> {key.name}</span>
                      </button>
                      <button
                        type="button"
                        onClick={() => setConfirming(undefined)}
                        className="text-slate-700 text-xs hover:underline"
                      >
                        Cancel
                      </button>
                    </fieldset>
                  ) : (
                    <button
                      type="button"
                      onClick={() => setConfirming(key.id)}
                      className="text-red-700 text-sm hover:underline"
                    >
                      Revoke<span className="sr-only"> {key.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
