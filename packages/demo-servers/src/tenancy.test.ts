import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from './core/caller.js';
import { createDemoData, TENANTS } from './demo-data.js';
import { type RunningFleet, startFleet } from './fleet.js';
import type { ServerName } from './manifest.js';
import { connectTestClient, NORDLYS_CALLER, TEKUP_CALLER, type TestClient } from './test-client.js';
import {
  exerciseTenantTools,
  exerciseWithoutTenant,
  isolationProblems,
  type ProbeCall,
  refusalProblems,
  tenantFingerprints,
} from './testing/tenancy.js';

const now = new Date('2026-03-04T09:30:00Z');
const data = createDemoData({ now });
const [tekup, nordlys] = TENANTS;

let fleet: RunningFleet;
const clients = new Map<ServerName, TestClient>();

beforeAll(async () => {
  fleet = await startFleet({ basePort: 0, now });
  for (const name of ['billy', 'calendar', 'database', 'knowledge', 'vault'] as const) {
    clients.set(name, await connectTestClient(fleet.urls[name][0] as string));
  }
}, 60_000);

afterAll(async () => {
  for (const client of clients.values()) await client.close();
  await fleet?.close();
});

function callerOf(caller: Caller | undefined): ProbeCall {
  return async (server, tool, args) => {
    const client = clients.get(server);
    if (!client) throw new Error(`no client for ${server}`);
    const result: CallToolResult = await client.call(tool, args, caller);
    return {
      text: JSON.stringify(result),
      failed: result.isError === true,
      ...(result.structuredContent ? { structured: result.structuredContent } : {}),
    };
  };
}

describe('tenancy of the fleet', () => {
  it('keeps each organization to its own books on every tool, writes included', async () => {
    const tekupRun = await exerciseTenantTools(
      callerOf(TEKUP_CALLER),
      data,
      tekup.id,
      nordlys.id,
      'a',
    );
    const nordlysRun = await exerciseTenantTools(
      callerOf(NORDLYS_CALLER),
      data,
      nordlys.id,
      tekup.id,
      'b',
    );
    expect(
      isolationProblems(tekupRun, [...tenantFingerprints(data, nordlys.id), ...nordlysRun.created]),
    ).toEqual([]);
    expect(
      isolationProblems(nordlysRun, [...tenantFingerprints(data, tekup.id), ...tekupRun.created]),
    ).toEqual([]);
    // Each created its own records, numbered in its own series.
    expect(nordlysRun.created.some((id) => id.startsWith('ninv_'))).toBe(true);
    expect(tekupRun.created.some((id) => /^inv_/.test(id))).toBe(true);
  }, 60_000);

  it('refuses every tool of billy, calendar and database to a call that names no organization', async () => {
    const records = await exerciseWithoutTenant(callerOf(undefined), data);
    expect(records.length).toBeGreaterThanOrEqual(20);
    expect(refusalProblems(records)).toEqual([]);
    expect(records.every((record) => /names none/.test(record.answer.text))).toBe(true);
  });

  it('keeps internal servers to the operator organization and shares the knowledge base', async () => {
    const vault = clients.get('vault') as TestClient;
    const refused = await vault.call('search_vault', { query: 'gateway' }, NORDLYS_CALLER);
    expect(refused.isError).toBe(true);
    const anonymous = await vault.call('search_vault', { query: 'gateway' }, undefined);
    expect(anonymous.isError).toBe(true);
    const allowed = await vault.call('search_vault', { query: 'gateway' }, TEKUP_CALLER);
    expect(allowed.isError).toBeFalsy();
    const knowledge = clients.get('knowledge') as TestClient;
    for (const caller of [undefined, NORDLYS_CALLER, TEKUP_CALLER]) {
      const result = await knowledge.call('search_docs', { query: 'invoice' }, caller);
      expect(result.isError).toBeFalsy();
    }
  });

  it('shows what billy and the calendar write in the database at once, to their organization only', async () => {
    const billy = clients.get('billy') as TestClient;
    const database = clients.get('database') as TestClient;
    const created = await billy.call(
      'create_invoice',
      { customer: 'Hotel Kronborg', product: 'Trappevask', quantity: 3 },
      NORDLYS_CALLER,
    );
    const invoice = (created.structuredContent as { invoice: { id: string; total: number } })
      .invoice;
    const seen = await database.call(
      'query',
      { sql: `SELECT id, total, status FROM invoices WHERE id = '${invoice.id}'` },
      NORDLYS_CALLER,
    );
    expect((seen.structuredContent as { rows: unknown[] }).rows).toEqual([
      { id: invoice.id, total: invoice.total, status: 'draft' },
    ]);
    const lines = await database.call(
      'query',
      { sql: `SELECT quantity FROM invoice_lines WHERE invoice_id = '${invoice.id}'` },
      NORDLYS_CALLER,
    );
    expect((lines.structuredContent as { rows: unknown[] }).rows).toEqual([{ quantity: 3 }]);
    const hidden = await database.call(
      'query',
      { sql: `SELECT id FROM invoices WHERE id = '${invoice.id}'` },
      TEKUP_CALLER,
    );
    expect((hidden.structuredContent as { rows: unknown[] }).rows).toEqual([]);
    await billy.call('approve_invoice', { invoiceId: invoice.id }, NORDLYS_CALLER);
    const approved = await database.call(
      'query',
      { sql: `SELECT status FROM invoices WHERE id = '${invoice.id}'` },
      NORDLYS_CALLER,
    );
    expect((approved.structuredContent as { rows: unknown[] }).rows).toEqual([
      { status: 'approved' },
    ]);

    const calendar = clients.get('calendar') as TestClient;
    const event = await calendar.call(
      'create_event',
      {
        title: 'Trappevask – Boligselskabet Vibo',
        start: '2026-03-20T12:00:00Z',
        durationMinutes: 60,
        customer: 'Vibo',
        assignee: 'Sabine',
      },
      NORDLYS_CALLER,
    );
    const eventId = (event.structuredContent as { event: { id: string } }).event.id;
    const booking = await database.call(
      'query',
      {
        sql: `SELECT service, status FROM bookings WHERE id = '${eventId.replace('evt_', 'bkg_')}'`,
      },
      NORDLYS_CALLER,
    );
    expect((booking.structuredContent as { rows: unknown[] }).rows).toEqual([
      { service: 'Trappevask', status: 'booked' },
    ]);
  }, 30_000);
});
