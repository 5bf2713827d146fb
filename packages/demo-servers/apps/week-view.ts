/**
 * RenOS calendar's week view (an MCP App): Monday to Friday with each day's bookings in the
 * person's time zone; the arrows page through weeks by calling `show_schedule` again (it only reads).
 */
import { createView, h, textOf } from './view';

interface WeekEvent {
  id: string;
  title: string;
  type: 'cleaning' | 'meeting' | 'inspection';
  start: string;
  end: string;
  location: string;
  assignee: string;
  status: 'confirmed' | 'cancelled';
}

interface Week {
  weekStart: string;
  weekEnd: string;
  events: WeekEvent[];
}

const view = createView('calendar-week-view');
const { app, t } = view;
let week: Week | undefined;
let busy = false;
let problem: string | undefined;

const root = document.getElementById('app') as HTMLElement;

const weekOf = (result: { structuredContent?: Record<string, unknown> }): Week | undefined => {
  const value = result.structuredContent;
  return value && typeof value.weekStart === 'string' ? (value as unknown as Week) : undefined;
};

const shiftDays = (iso: string, days: number) => {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

async function go(days: number): Promise<void> {
  if (!week || busy) return;
  busy = true;
  render();
  try {
    const result = await app.callServerTool({
      name: 'show_schedule',
      arguments: { start: shiftDays(week.weekStart, days) },
    });
    if (result.isError) problem = textOf(result);
    else {
      week = weekOf(result) ?? week;
      problem = undefined;
    }
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    busy = false;
    render();
  }
}

function render(): void {
  if (!week) {
    root.replaceChildren(h('p', { class: 'muted' }, t('Loading the week…', 'Henter ugen…')));
    return;
  }
  const { locale, timeZone } = view;
  const dayName = new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const time = new Intl.DateTimeFormat(locale(), {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timeZone(),
  });
  const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone() });
  const days = [0, 1, 2, 3, 4].map((offset) => shiftDays(week!.weekStart, offset));
  const parts: Array<HTMLElement | false | '' | undefined> = [
    h(
      'div',
      { class: 'row spread' },
      h(
        'h1',
        {},
        `${t('Week of', 'Ugen fra')} ${dayName.format(new Date(`${week.weekStart}T00:00:00Z`))}`,
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            disabled: busy,
            'aria-label': t('Previous week', 'Forrige uge'),
            click: () => void go(-7),
          },
          '‹',
        ),
        h(
          'button',
          {
            type: 'button',
            disabled: busy,
            'aria-label': t('Next week', 'Næste uge'),
            click: () => void go(7),
          },
          '›',
        ),
      ),
    ),
    h(
      'div',
      { class: 'week' },
      ...days.map((date) => {
        const events = week!.events.filter(
          (event) => localDay.format(new Date(event.start)) === date,
        );
        return h(
          'section',
          { class: 'day', 'aria-label': dayName.format(new Date(`${date}T00:00:00Z`)) },
          h('h2', {}, dayName.format(new Date(`${date}T00:00:00Z`))),
          events.length === 0 && h('p', { class: 'muted' }, t('Free', 'Ledig')),
          ...events.map((event) =>
            h(
              'article',
              { class: `event ${event.type}${event.status === 'cancelled' ? ' cancelled' : ''}` },
              h(
                'div',
                { class: 'muted' },
                `${time.format(new Date(event.start))}–${time.format(new Date(event.end))}`,
              ),
              h('strong', {}, event.title),
              h('div', { class: 'muted' }, event.assignee),
            ),
          ),
        );
      }),
    ),
    h('p', { class: 'muted' }, t(`Times in ${timeZone()}`, `Tider i ${timeZone()}`)),
    problem && h('p', { class: 'notice', role: 'status', style: 'color: var(--bad)' }, problem),
  ];
  root.replaceChildren(...parts.filter((part): part is HTMLElement => part instanceof HTMLElement));
}

app.ontoolresult = (result) => {
  week = weekOf(result) ?? week;
  if (result.isError) problem = textOf(result);
  render();
};

void view.start(render);
