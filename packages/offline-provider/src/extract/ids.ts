import { splitIdentifier } from '../language/words';
import type { Vocabulary } from '../lexicon/vocabulary';
import type { JsonSchema } from '../schema';

/** Ids in a text: `evt_0012`, `#12`, `INV-1001`, and a number after an id noun ("invoice 1041"). */
export function findIds(text: string, vocabulary: Vocabulary): string[] {
  const patterns = [
    // `evt_0012`, `inv_0012`, `doc_004`
    /\b([a-z]{2,}_\d+[\w-]*)\b/g,
    /#(\w[\w-]*)/g,
    /\b([A-Z]{2,}[-_]?\d+[\w-]*)\b/g,
    vocabulary.numberId,
  ];
  const ids: string[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) if (match[1]) ids.push(match[1]);
  }
  return [...new Set(ids)];
}

function isSubsequence(needle: string, haystack: string): boolean {
  let index = 0;
  for (const char of haystack) if (char === needle[index]) index++;
  return index === needle.length;
}

/**
 * Whether an id suits an id parameter: a prefixed id (`evt_0012`) only goes to a parameter
 * whose name or description fits the prefix (eventId, not invoiceId); plain numbers go anywhere.
 */
export function idFits(id: string, name: string, schema: JsonSchema): boolean {
  const prefix = id.match(/^([a-z]+)[_-]\d/i)?.[1]?.toLowerCase();
  if (!prefix) return true;
  if ((schema.description ?? '').toLowerCase().includes(`${prefix}_`)) return true;
  return splitIdentifier(name).some((word) => word !== 'id' && isSubsequence(prefix, word));
}

/** Whether a name parameter also takes this id: its description speaks of ids or the prefix. */
export function nameTakesId(id: string, schema: JsonSchema): boolean {
  const prefix = id.match(/^([a-z]+)_\d/i)?.[1]?.toLowerCase();
  if (!prefix) return false;
  const description = (schema.description ?? '').toLowerCase();
  return description.includes(`${prefix}_`) || /\bid\b/.test(description);
}
