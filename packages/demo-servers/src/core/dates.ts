const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a date in UTC. */
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of the day `days` after the day of `date`. */
export function addDays(date: Date, days: number): Date {
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return new Date(start + days * DAY_MS);
}

/** A UTC datetime on the day of `day` at `hours` (fractional hours allowed). */
export function atHour(day: Date, hours: number): Date {
  return new Date(addDays(day, 0).getTime() + Math.round(hours * 3_600_000));
}

/** Parses `YYYY-MM-DD` or a full ISO datetime; returns undefined when invalid. */
export function parseDate(value: string): Date | undefined {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
