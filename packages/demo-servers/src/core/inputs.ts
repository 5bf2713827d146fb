import { z } from 'zod';

/** The `limit` input of a search tool: 1 to `max` results; the tool applies `fallback` when absent. */
export function resultLimitInput(max = 20, fallback = 5) {
  return z
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .describe(`Maximum results (1–${max}, default ${fallback})`);
}
