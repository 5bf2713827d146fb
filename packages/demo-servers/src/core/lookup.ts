import { DemoServerError } from '../errors.js';

/**
 * Finds one record by id, exact name or unique case-insensitive substring of the name,
 * otherwise throws a tool error naming `field` (with suggestions when ambiguous).
 */
export function findOne<T extends { id: string }>(
  items: readonly T[],
  query: string,
  field: string,
  kind: string,
  names: (item: T) => string[],
): T {
  const needle = query.trim().toLowerCase();
  const byId = items.find((item) => item.id.toLowerCase() === needle);
  if (byId) return byId;
  const exact = items.filter((item) => names(item).some((name) => name.toLowerCase() === needle));
  if (exact.length === 1 && exact[0]) return exact[0];
  const partial = items.filter((item) =>
    names(item).some((name) => name.toLowerCase().includes(needle)),
  );
  if (partial.length === 1 && partial[0]) return partial[0];
  if (partial.length > 1) {
    const options = partial
      .slice(0, 5)
      .map((item) => names(item)[0])
      .join(', ');
    throw new DemoServerError(
      'invalid_argument',
      `${field}: "${query}" matches several ${kind}s (${options}); be more specific or pass the id`,
      { field },
    );
  }
  throw new DemoServerError('not_found', `${field}: no ${kind} matches "${query}"`, { field });
}
