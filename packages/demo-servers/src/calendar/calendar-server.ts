import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { READS } from '../core/annotations.js';
import { type AppView, registerAppView } from '../core/app-view.js';
import { randomUUID } from 'node:crypto';
import { askToOpen, askUser, canAsk } from '../core/ask-user.js';
import { nextNumber } from '../core/books.js';
import { addDays, atHour, toIsoDate } from '../core/dates.js';
import { findOne } from '../core/lookup.js';
import type { ServerContext, ServerRuntime } from '../core/server-runtime.js';
import { toolResult } from '../core/tool-result.js';
import { type CalendarEvent, recordId } from '../demo-data.js';
import { DemoServerError } from '../errors.js';

/** Working day of the demo calendar, in UTC hours. */
const WORKING_HOURS = { start: 8, end: 16 } as const;

const eventSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(['cleaning', 'meeting', 'inspection']),
  start: z.string(),
  end: z.string(),
  location: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  assignee: z.string(),
  status: z.enum(['confirmed', 'cancelled']),
});

const slotSchema = z.object({ start: z.string(), end: z.string(), minutes: z.number() });

function overlaps(event: CalendarEvent, start: Date, end: Date): boolean {
  return event.status === 'confirmed' && new Date(event.start) < end && new Date(event.end) > start;
}

function publicEvent(event: CalendarEvent): z.infer<typeof eventSchema> {
  const { tenantId: _tenantId, ...rest } = event;
  return rest;
}

function dayRange(from: string, to: string | undefined, field: string): { start: Date; end: Date } {
  const start = new Date(`${from}T00:00:00Z`);
  const last = new Date(`${to ?? from}T00:00:00Z`);
  if (last < start)
    throw new DemoServerError('invalid_argument', `${field}: "to" must not be before "from"`, {
      field: 'to',
    });
  if (last.getTime() - start.getTime() > 92 * 86_400_000) {
    throw new DemoServerError('invalid_argument', 'to: the range may span at most 92 days', {
      field: 'to',
    });
  }
  return { start, end: addDays(last, 1) };
}

/** The week view (an MCP App): Monday to Friday, paged a week at a time. */
const WEEK_VIEW: AppView = {
  uri: 'ui://calendar/week.html',
  title: 'Week',
  description: "A working week of the calendar, each day's bookings in the viewer's time zone",
  script: 'week-view',
  css: `
.week { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; margin-top: 10px; }
.day h2 { font-size: 12px; margin: 0 0 6px; color: var(--muted); text-transform: capitalize; }
.event { border-left: 3px solid var(--accent); background: color-mix(in srgb, var(--accent) 8%, transparent);
  border-radius: 4px; padding: 4px 6px; margin-bottom: 6px; font-size: 12px; overflow-wrap: anywhere; }
.event.meeting { border-color: var(--warn); } .event.inspection { border-color: var(--ok); }
.event.cancelled { opacity: .5; text-decoration: line-through; }
@media (max-width: 520px) { .week { grid-template-columns: 1fr; } }
`,
};

/**
 * Creates the RenOS calendar server: connect_google_calendar, list_events, find_free_slots,
 * create_event, cancel_event and show_schedule (with its week view).
 * Each organization has its own calendar and employees; calls without one are refused.
 */
export function createCalendarRuntime(context: ServerContext): ServerRuntime {
  const tomorrow = toIsoDate(addDays(context.now, 1));

  const freeSlots = (
    events: readonly CalendarEvent[],
    from: string,
    to: string | undefined,
    minutes: number,
  ) => {
    const { start, end } = dayRange(from, to, 'from');
    const slots: { start: string; end: string; minutes: number }[] = [];
    for (let day = start; day < end; day = addDays(day, 1)) {
      const weekday = day.getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      let cursor = atHour(day, WORKING_HOURS.start);
      const close = atHour(day, WORKING_HOURS.end);
      if (cursor < context.now && toIsoDate(context.now) === toIsoDate(day)) {
        const next = new Date(Math.ceil(context.now.getTime() / 1_800_000) * 1_800_000);
        cursor = next > cursor ? next : cursor;
      }
      const busy = events
        .filter((event) => overlaps(event, cursor, close))
        .sort((a, b) => a.start.localeCompare(b.start));
      for (const event of [...busy, undefined]) {
        const gapEnd = event ? new Date(event.start) : close;
        const gap = (gapEnd.getTime() - cursor.getTime()) / 60_000;
        if (gap >= minutes)
          slots.push({ start: cursor.toISOString(), end: gapEnd.toISOString(), minutes: gap });
        if (event && new Date(event.end) > cursor) cursor = new Date(event.end);
      }
    }
    return slots;
  };

  const register = (server: McpServer): void => {
    registerAppView(server, WEEK_VIEW);
    server.registerTool(
      'connect_google_calendar',
      {
        title: 'Connect Google Calendar',
        description:
          "Connect the organization's Google Calendar: sends the user to Google's consent page to allow access. Nothing changes until they finish there.",
        inputSchema: {},
        outputSchema: {
          status: z.enum(['pending', 'declined', 'unsupported']),
          url: z.string().optional().describe("Google's consent page"),
        },
        annotations: { ...READS, openWorldHint: true },
      },
      async (_input, extra) => {
        const { tenant } = context.books.forCaller(extra);
        const elicitationId = randomUUID();
        const consent = new URL('https://accounts.google.com/o/oauth2/v2/auth');
        consent.search = new URLSearchParams({
          client_id:
            process.env.GOOGLE_CLIENT_ID ?? 'renos-calendar-demo.apps.googleusercontent.com',
          redirect_uri: process.env.GOOGLE_REDIRECT_URI ?? 'http://localhost:3000/oauth/google',
          response_type: 'code',
          scope: 'https://www.googleapis.com/auth/calendar.events',
          access_type: 'offline',
          state: `${tenant.id}:${elicitationId}`,
        }).toString();
        const answer = await askToOpen(server, extra, {
          message: `Allow RenOS to use ${tenant.name}'s Google Calendar. Google asks you to sign in and agree.`,
          url: consent.href,
          elicitationId,
        });
        if (answer === undefined) {
          return toolResult(`Open this page to connect Google Calendar: ${consent.href}`, {
            status: 'unsupported',
            url: consent.href,
          });
        }
        if (answer.action !== 'accept') {
          return toolResult('Google Calendar was not connected (the user did not open the page).', {
            status: 'declined',
          });
        }
        return toolResult(
          'The consent page is open: the calendar connects once you agree there (this demo records nothing until then).',
          { status: 'pending', url: consent.href },
        );
      },
    );

    server.registerTool(
      'list_events',
      {
        title: 'List calendar events',
        description:
          'List the bookings and meetings in the RenOS calendar for a date range (whole days, times in UTC), ordered by start time.',
        inputSchema: {
          from: z.iso.date().describe(`First day (YYYY-MM-DD), e.g. tomorrow is ${tomorrow}`),
          to: z.iso
            .date()
            .optional()
            .describe('Last day (YYYY-MM-DD), inclusive; default the same day as "from"'),
          assignee: z
            .string()
            .optional()
            .describe('Only events of this employee (part of the name)'),
          includeCancelled: z
            .boolean()
            .optional()
            .describe('Include cancelled events (default false)'),
        },
        outputSchema: { events: z.array(eventSchema), count: z.number() },
        annotations: READS,
      },
      ({ from, to, assignee, includeCancelled }, extra) => {
        const { events } = context.books.forCaller(extra);
        const { start, end } = dayRange(from, to, 'from');
        const needle = assignee?.toLowerCase();
        const rows = events
          .filter(
            (event) =>
              new Date(event.start) < end &&
              new Date(event.end) > start &&
              (includeCancelled || event.status === 'confirmed') &&
              (!needle || event.assignee.toLowerCase().includes(needle)),
          )
          .sort((a, b) => a.start.localeCompare(b.start))
          .map(publicEvent);
        const lines = rows.map(
          (event) =>
            `${event.start.slice(0, 16).replace('T', ' ')}–${event.end.slice(11, 16)} ${event.title} (${event.assignee})`,
        );
        return toolResult(
          `${rows.length} event(s) ${from}${to && to !== from ? ` to ${to}` : ''}${lines.length ? `:\n${lines.join('\n')}` : ''}`,
          { events: rows, count: rows.length },
        );
      },
    );

    server.registerTool(
      'find_free_slots',
      {
        title: 'Find free slots',
        description: `Find free time in the calendar on working days between ${WORKING_HOURS.start}:00 and ${WORKING_HOURS.end}:00 UTC that fit a booking of the given length.`,
        inputSchema: {
          from: z.iso.date().describe(`First day to search (YYYY-MM-DD), e.g. ${tomorrow}`),
          to: z.iso
            .date()
            .optional()
            .describe('Last day to search (YYYY-MM-DD), inclusive; default "from"'),
          durationMinutes: z
            .number()
            .int()
            .min(15)
            .max(480)
            .optional()
            .describe('Length of the wanted booking in minutes (default 60)'),
        },
        outputSchema: { slots: z.array(slotSchema), count: z.number(), workingHours: z.string() },
        annotations: READS,
      },
      ({ from, to, durationMinutes }, extra) => {
        const { events } = context.books.forCaller(extra);
        const slots = freeSlots(events, from, to, durationMinutes ?? 60);
        return toolResult(
          `${slots.length} free slot(s) of at least ${durationMinutes ?? 60} min${slots.length ? `: ${slots.map((slot) => `${slot.start.slice(0, 16).replace('T', ' ')}–${slot.end.slice(11, 16)}`).join(', ')}` : ''}`,
          {
            slots,
            count: slots.length,
            workingHours: `${WORKING_HOURS.start}:00–${WORKING_HOURS.end}:00 UTC, Monday–Friday`,
          },
        );
      },
    );

    server.registerTool(
      'create_event',
      {
        title: 'Create calendar event',
        description:
          'Book a cleaning, meeting or inspection in the calendar. Refused when it overlaps a confirmed event; use find_free_slots first.',
        inputSchema: {
          title: z
            .string()
            .trim()
            .min(2)
            .max(200)
            .describe('What the event is, e.g. "Vinduespudsning – Hotel Kronborg"'),
          start: z.iso
            .datetime({ offset: true })
            .describe('Start time, ISO 8601 with zone, e.g. 2026-03-03T09:00:00Z'),
          end: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('End time (ISO 8601); or give durationMinutes'),
          durationMinutes: z
            .number()
            .int()
            .min(15)
            .max(600)
            .optional()
            .describe('Length in minutes when no end is given (default 60)'),
          type: z
            .enum(['cleaning', 'meeting', 'inspection'])
            .optional()
            .describe('Default "cleaning"'),
          customer: z.string().optional().describe('Customer id or name the event is for'),
          location: z
            .string()
            .max(200)
            .optional()
            .describe("Address; default the customer's address"),
          assignee: z
            .string()
            .max(80)
            .optional()
            .describe("Employee doing the job (name or part of it); default 'Unassigned'"),
        },
        outputSchema: {
          booked: z.boolean().describe('Whether the event was booked'),
          event: eventSchema.optional().describe('The booked event'),
          reason: z.string().optional().describe('Why nothing was booked'),
        },
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      async (input, extra) => {
        const { tenant, events, customers, employees } = context.books.forCaller(extra);
        const start = new Date(input.start);
        const end = input.end
          ? new Date(input.end)
          : new Date(start.getTime() + (input.durationMinutes ?? 60) * 60_000);
        if (start < context.now) {
          throw new DemoServerError(
            'invalid_argument',
            `start: ${input.start} is in the past (now is ${context.now.toISOString()})`,
            { field: 'start' },
          );
        }
        if (end <= start)
          throw new DemoServerError('invalid_argument', 'end: must be after start', {
            field: 'end',
          });
        if (end.getTime() - start.getTime() > 12 * 3_600_000) {
          throw new DemoServerError('invalid_argument', 'end: an event may last at most 12 hours', {
            field: 'end',
          });
        }
        const conflicts = events.filter((event) => overlaps(event, start, end));
        let assigneeName = input.assignee;
        // Who does the job, and whether to double-book, are the person's to say (when they can be asked).
        if ((conflicts.length > 0 || assigneeName === undefined) && canAsk(server)) {
          const clash = conflicts
            .map(
              (event) => `"${event.title}" ${event.start.slice(11, 16)}–${event.end.slice(11, 16)}`,
            )
            .join(', ');
          const answer = await askUser(server, extra, {
            message:
              conflicts.length > 0
                ? `${input.title} overlaps ${clash}. Book it anyway?`
                : `Who should do "${input.title}"?`,
            requestedSchema: {
              type: 'object',
              properties: {
                ...(assigneeName === undefined
                  ? {
                      assignee: {
                        type: 'string',
                        title: 'Assignee',
                        description: 'The employee doing the job',
                        oneOf: [
                          ...employees.map((employee) => ({
                            const: employee.name,
                            title: `${employee.name} (${employee.role.replace('_', ' ')})`,
                          })),
                          { const: 'Unassigned', title: 'Unassigned' },
                        ],
                        default: 'Unassigned',
                      },
                    }
                  : {}),
                ...(conflicts.length > 0
                  ? {
                      doubleBook: {
                        type: 'boolean',
                        title: 'Book it anyway (double-booked)',
                        default: false,
                      },
                    }
                  : {}),
              },
              ...(assigneeName === undefined ? { required: ['assignee'] } : {}),
            },
          });
          if (answer === undefined || answer.action !== 'accept') {
            const reason =
              answer?.action === 'decline' ? 'declined by the user' : 'cancelled by the user';
            return toolResult(`Not booked: ${input.title} (${reason})`, { booked: false, reason });
          }
          if (
            typeof answer.content?.assignee === 'string' &&
            answer.content.assignee !== 'Unassigned'
          )
            assigneeName = answer.content.assignee;
          if (conflicts.length > 0 && answer.content?.doubleBook !== true) {
            const reason = `overlaps ${clash}`;
            return toolResult(`Not booked: ${input.title} ${reason}`, { booked: false, reason });
          }
        } else if (conflicts.length > 0) {
          const names = conflicts
            .map(
              (event) =>
                `${event.id} "${event.title}" ${event.start.slice(11, 16)}–${event.end.slice(11, 16)}`,
            )
            .join('; ');
          throw new DemoServerError(
            'conflict',
            `start: the time overlaps ${conflicts.length} event(s): ${names}. Pick a free slot (find_free_slots).`,
            {
              field: 'start',
              data: { conflicts: conflicts.map((event) => event.id) },
            },
          );
        }
        const customer = input.customer
          ? findOne(customers, input.customer, 'customer', 'customer', (item) => [item.name])
          : undefined;
        const assignee = assigneeName
          ? findOne(employees, assigneeName, 'assignee', 'employee', (item) => [item.name]).name
          : 'Unassigned';
        const event: CalendarEvent = {
          id: recordId(tenant, 'evt', nextNumber(events)),
          tenantId: tenant.id,
          title: input.title,
          type: input.type ?? 'cleaning',
          start: start.toISOString(),
          end: end.toISOString(),
          location:
            input.location ??
            (customer ? `${customer.street}, ${customer.zipcode} ${customer.city}` : ''),
          customerId: customer?.id ?? null,
          customerName: customer?.name ?? null,
          assignee,
          status: 'confirmed',
        };
        events.push(event);
        context.books.changed({ tenantId: tenant.id, kind: 'event', id: event.id });
        return toolResult(
          `Booked ${event.title} ${event.start.slice(0, 16).replace('T', ' ')}–${event.end.slice(11, 16)} (${event.id})`,
          {
            booked: true,
            event: publicEvent(event),
          },
        );
      },
    );

    server.registerTool(
      'cancel_event',
      {
        title: 'Cancel calendar event',
        description:
          'Cancel an event; its time becomes free. Cancelling an already cancelled event changes nothing.',
        inputSchema: {
          eventId: z.string().min(1).describe('Event id, e.g. "evt_0012"'),
          reason: z.string().max(500).optional().describe('Why it is cancelled'),
        },
        outputSchema: { event: eventSchema, alreadyCancelled: z.boolean() },
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      ({ eventId }, extra) => {
        const { events } = context.books.forCaller(extra);
        const event = events.find((item) => item.id === eventId.trim());
        if (!event)
          throw new DemoServerError('not_found', `eventId: no event "${eventId}"`, {
            field: 'eventId',
          });
        const alreadyCancelled = event.status === 'cancelled';
        event.status = 'cancelled';
        if (!alreadyCancelled)
          context.books.changed({ tenantId: event.tenantId, kind: 'event', id: event.id });
        return toolResult(
          `${alreadyCancelled ? 'Already cancelled' : 'Cancelled'}: ${event.title} (${event.id})`,
          {
            event: publicEvent(event),
            alreadyCancelled,
          },
        );
      },
    );

    server.registerTool(
      'show_schedule',
      {
        title: 'Show calendar week',
        description:
          'Show a working week (Monday to Friday) of the calendar with every confirmed booking; hosts that render MCP Apps show it as a week view.',
        inputSchema: {
          start: z.iso
            .date()
            .optional()
            .describe(
              `Any day of the week to show (YYYY-MM-DD); it starts on that week's Monday. Default this week (${toIsoDate(context.now)})`,
            ),
        },
        outputSchema: {
          weekStart: z.string().describe('Monday (YYYY-MM-DD)'),
          weekEnd: z.string().describe('Friday (YYYY-MM-DD)'),
          events: z.array(eventSchema),
          count: z.number(),
        },
        annotations: READS,
        _meta: { ui: { resourceUri: WEEK_VIEW.uri } },
      },
      ({ start }, extra) => {
        const { events } = context.books.forCaller(extra);
        const day = new Date(`${start ?? toIsoDate(context.now)}T00:00:00Z`);
        const monday = addDays(day, -((day.getUTCDay() + 6) % 7));
        const saturday = addDays(monday, 5);
        const rows = events
          .filter(
            (event) =>
              event.status === 'confirmed' &&
              new Date(event.start) < saturday &&
              new Date(event.end) > monday,
          )
          .sort((a, b) => a.start.localeCompare(b.start))
          .map(publicEvent);
        const weekStart = toIsoDate(monday);
        const weekEnd = toIsoDate(addDays(monday, 4));
        return toolResult(`${rows.length} booking(s) in the week ${weekStart} to ${weekEnd}`, {
          weekStart,
          weekEnd,
          events: rows,
          count: rows.length,
        });
      },
    );
  };

  return {
    register,
    health: () => ({
      organizations: context.books.all().length,
      events: context.books.all().reduce((sum, books) => sum + books.events.length, 0),
    }),
  };
}
