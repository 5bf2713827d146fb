import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, TENANTS } from '../demo-data.js';
import { type RunningServer, startServer } from '../start-server.js';
import { connectTestClient, TEKUP_CALLER, type TestClient, textOf } from '../test-client.js';

const now = new Date('2026-03-04T09:30:00Z');
const tomorrow = '2026-03-05';
const data = createDemoData({ now });
const tekupEvents = data.events.filter((event) => event.tenantId === TENANTS[0].id);
const tomorrowEvents = tekupEvents.filter((event) => event.start.startsWith(tomorrow));

type Slot = { start: string; end: string; minutes: number };

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer('calendar', { port: 0, now });
  client = await connectTestClient(server.url, { caller: TEKUP_CALLER });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('calendar', () => {
  it('lists tomorrow’s events in order, matching the seeded data', async () => {
    const result = await client.call('list_events', { from: tomorrow });
    const events = (result.structuredContent as { events: { id: string; start: string }[] }).events;
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.map((event) => event.id)).toEqual(tomorrowEvents.map((event) => event.id));
    expect([...events].sort((a, b) => a.start.localeCompare(b.start))).toEqual(events);
    const week = await client.call('list_events', { from: '2026-03-02', to: '2026-03-08' });
    expect((week.structuredContent as { count: number }).count).toBe(
      tekupEvents.filter((event) => event.start >= '2026-03-02' && event.start < '2026-03-09')
        .length,
    );
  });

  it('finds free slots that avoid every event and fit the duration', async () => {
    const result = await client.call('find_free_slots', { from: tomorrow, durationMinutes: 30 });
    const slots = (result.structuredContent as { slots: Slot[] }).slots;
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(slot.minutes).toBeGreaterThanOrEqual(30);
      for (const event of tomorrowEvents) {
        expect(slot.end <= event.start || slot.start >= event.end).toBe(true);
      }
      expect(slot.start >= `${tomorrow}T08:00`).toBe(true);
      expect(slot.end <= `${tomorrow}T16:00:00.000Z`).toBe(true);
    }
    const weekend = await client.call('find_free_slots', { from: '2026-03-07', to: '2026-03-08' });
    expect((weekend.structuredContent as { count: number }).count).toBe(0);
  });

  it('refuses a booking that overlaps, accepts one in a free slot, frees it on cancel', async () => {
    const busy = tomorrowEvents[0];
    if (!busy) throw new Error('no event tomorrow');
    const clash = await client.call('create_event', {
      title: 'Dobbeltbooking',
      start: busy.start,
      durationMinutes: 30,
    });
    expect(clash.isError).toBe(true);
    expect(textOf(clash)).toMatch(/^start: the time overlaps 1 event/);
    expect(textOf(clash)).toContain(busy.id);

    const slots = (await client.call('find_free_slots', { from: tomorrow, durationMinutes: 30 }))
      .structuredContent as { slots: Slot[] };
    const slot = slots.slots[0];
    if (!slot) throw new Error('no free slot');
    const created = await client.call('create_event', {
      title: 'Vinduespudsning – Hotel Kronborg',
      start: slot.start,
      durationMinutes: 30,
      customer: 'Fjordblik',
      assignee: 'Ida Lund',
    });
    expect(created.isError).toBeFalsy();
    const event = (
      created.structuredContent as {
        event: { id: string; start: string; end: string; customerName: string };
      }
    ).event;
    expect(event.customerName).toBe('Fjordblik Ejendomme A/S');
    const again = await client.call('create_event', {
      title: 'Igen',
      start: slot.start,
      durationMinutes: 30,
    });
    expect(textOf(again)).toContain(event.id);

    const cancelled = await client.call('cancel_event', {
      eventId: event.id,
      reason: 'Kunden aflyste',
    });
    expect((cancelled.structuredContent as { alreadyCancelled: boolean }).alreadyCancelled).toBe(
      false,
    );
    const repeat = await client.call('cancel_event', { eventId: event.id });
    expect((repeat.structuredContent as { alreadyCancelled: boolean }).alreadyCancelled).toBe(true);
    const rebooked = await client.call('create_event', {
      title: 'Ny tid',
      start: slot.start,
      durationMinutes: 30,
    });
    expect(rebooked.isError).toBeFalsy();
  });

  it('names the field for bad arguments', async () => {
    const badDate = await client.call('list_events', { from: 'tomorrow' });
    expect(badDate.isError).toBe(true);
    expect(textOf(badDate)).toMatch(/from/);
    const reversed = await client.call('list_events', { from: '2026-03-06', to: '2026-03-05' });
    expect(textOf(reversed)).toMatch(/to/);
    const endBeforeStart = await client.call('create_event', {
      title: 'X-møde',
      start: '2026-03-05T10:00:00Z',
      end: '2026-03-05T09:00:00Z',
    });
    expect(textOf(endBeforeStart)).toMatch(/^end: /);
    const missing = await client.call('cancel_event', { eventId: 'evt_9999' });
    expect(textOf(missing)).toMatch(/^eventId: /);
    const past = await client.call('create_event', {
      title: 'For sent',
      start: '2026-03-03T10:00:00Z',
    });
    expect(textOf(past)).toMatch(/^start: .*in the past/);
    const noZone = await client.call('create_event', {
      title: 'Uden zone',
      start: '2026-03-05 10:00',
    });
    expect(textOf(noZone)).toMatch(/start/);
  });
});
