import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient } from '../test-client.js';

const MCP_APP = 'text/html;profile=mcp-app';
const now = new Date('2026-06-10T09:30:00Z');

let billy: RunningServer;
let calendar: RunningServer;
let billyClient: TestClient;
let calendarClient: TestClient;

beforeAll(async () => {
  [billy, calendar] = await Promise.all([
    startServer('billy', { port: 0, now }),
    startServer('calendar', { port: 0, now }),
  ]);
  [billyClient, calendarClient] = await Promise.all([
    connectTestClient(billy.url, { caller: TEKUP_CALLER }),
    connectTestClient(calendar.url, { caller: TEKUP_CALLER }),
  ]);
});

afterAll(async () => {
  await Promise.all([billyClient?.close(), calendarClient?.close()]);
  await Promise.all([billy?.close(), calendar?.close()]);
});

/** The one script element's text, and how many times `</script` occurs in the page. */
async function readView(client: TestClient, uri: string) {
  const { contents } = await client.client.readResource({ uri });
  expect(contents).toHaveLength(1);
  const [content] = contents;
  expect(content?.mimeType).toBe(MCP_APP);
  const html = String((content as { text?: string }).text);
  return { html, meta: content?._meta, closings: html.split('</script').length - 1 };
}

describe('MCP Apps of the fleet', () => {
  it('get_invoice names the invoice view, which is a self-contained page with its script inlined', async () => {
    const { tools } = await billyClient.client.listTools();
    const getInvoice = tools.find((tool) => tool.name === 'get_invoice');
    expect(getInvoice?._meta?.ui).toEqual({ resourceUri: 'ui://billy/invoice.html' });
    const { resources } = await billyClient.client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({ uri: 'ui://billy/invoice.html', mimeType: MCP_APP }),
    );
    const view = await readView(billyClient, 'ui://billy/invoice.html');
    expect(view.html.startsWith('<!doctype html>')).toBe(true);
    // the bundle cannot end its own element early: exactly one closing tag, the page's
    expect(view.closings).toBe(1);
    // nothing is loaded from the network, so no CSP domains are asked for
    expect(view.meta).toEqual({ ui: { prefersBorder: true, csp: {} } });
    expect(view.html).not.toMatch(/<script[^>]+src=/);
  });

  it("show_schedule returns Monday to Friday of the given day's week, confirmed bookings only", async () => {
    const { tools } = await calendarClient.client.listTools();
    expect(tools.find((tool) => tool.name === 'show_schedule')?._meta?.ui).toEqual({
      resourceUri: 'ui://calendar/week.html',
    });
    const result = await calendarClient.call('show_schedule', { start: '2026-06-13' });
    const week = result.structuredContent as {
      weekStart: string;
      weekEnd: string;
      events: Array<{ start: string; status: string }>;
      count: number;
    };
    expect(week.weekStart).toBe('2026-06-08');
    expect(week.weekEnd).toBe('2026-06-12');
    expect(week.count).toBe(week.events.length);
    expect(week.events.length).toBeGreaterThan(0);
    for (const event of week.events) {
      expect(event.status).toBe('confirmed');
      expect(event.start >= '2026-06-08' && event.start < '2026-06-13').toBe(true);
    }
    const listed = await calendarClient.call('list_events', {
      from: '2026-06-08',
      to: '2026-06-12',
    });
    expect(week.count).toBe((listed.structuredContent as { count: number }).count);
    const view = await readView(calendarClient, 'ui://calendar/week.html');
    expect(view.closings).toBe(1);
  });

  it('a week view read by another organization is the same page: views hold no data', async () => {
    const other = await connectTestClient(billy.url);
    try {
      const a = await readView(billyClient, 'ui://billy/invoice.html');
      const b = await readView(other, 'ui://billy/invoice.html');
      expect(b.html).toBe(a.html);
    } finally {
      await other.close();
    }
  });
});
