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
