const STOP_WORDS = new Set(
  'a an and are as at be by for from has have how i in is it its of on or that the this to was what when where which who why will with you your og i at er en et den det de til af for på med som har jeg vi kan skal ikke'.split(
    ' ',
  ),
);

/** Lower-cases, splits on non-letters, drops stop words and strips common English suffixes. */
function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !STOP_WORDS.has(word) && word.length > 1).map(stem);
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word))
    return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

/** A document to index. */
export interface IndexInput {
  id: string;
  /** Title terms count double. */
  title: string;
  text: string;
}

/** A ranked hit. */
export interface IndexHit {
  id: string;
  score: number;
}

/** A local full-text index: BM25 search and TF-IDF cosine similarity. */
export interface TextIndex {
  search(query: string, limit: number): IndexHit[];
  similar(id: string, limit: number): IndexHit[];
}

/** Builds a {@link TextIndex} over documents (Okapi BM25, k1 = 1.2, b = 0.75). */
export function createTextIndex(documents: readonly IndexInput[]): TextIndex {
  const termCounts = documents.map((document) => {
    const counts = new Map<string, number>();
    for (const term of [
      ...tokenize(document.title),
      ...tokenize(document.title),
      ...tokenize(document.text),
    ]) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    return counts;
  });
  const lengths = termCounts.map((counts) =>
    [...counts.values()].reduce((sum, value) => sum + value, 0),
  );
  const averageLength =
    lengths.reduce((sum, value) => sum + value, 0) / Math.max(1, lengths.length);
  const documentFrequency = new Map<string, number>();
  for (const counts of termCounts) {
    for (const term of counts.keys())
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const total = documents.length;
  const idf = (term: string) => {
    const frequency = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
  };
  const vectors = termCounts.map((counts) => {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * idf(term);
      vector.set(term, weight);
      norm += weight * weight;
    }
    return { vector, norm: Math.sqrt(norm) };
  });
  const rank = (scores: number[], limit: number, skip?: number): IndexHit[] =>
    scores
      .map((score, index) => ({
        id: documents[index]?.id ?? '',
        score: Math.round(score * 1000) / 1000,
        index,
      }))
      .filter((hit) => hit.score > 0 && hit.index !== skip)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(({ id, score }) => ({ id, score }));

  return {
    search: (query, limit) => {
      const terms = [...new Set(tokenize(query))];
      const scores = termCounts.map((counts, index) => {
        const length = lengths[index] ?? 0;
        return terms.reduce((sum, term) => {
          const frequency = counts.get(term) ?? 0;
          if (frequency === 0) return sum;
          const k1 = 1.2;
          const b = 0.75;
          return (
            sum +
            (idf(term) * frequency * (k1 + 1)) /
              (frequency + k1 * (1 - b + (b * length) / averageLength))
          );
        }, 0);
      });
      return rank(scores, limit);
    },
    similar: (id, limit) => {
      const target = documents.findIndex((document) => document.id === id);
      const base = vectors[target];
      if (!base) return [];
      const scores = vectors.map(({ vector, norm }) => {
        let dot = 0;
        for (const [term, weight] of base.vector) dot += weight * (vector.get(term) ?? 0);
        return norm && base.norm ? dot / (norm * base.norm) : 0;
      });
      return rank(scores, limit, target);
    },
  };
}

/** The passage of `text` that best matches `query`, trimmed to about `maxLength` characters. */
export function createSnippet(text: string, query: string, maxLength = 240): string {
  const terms = new Set(tokenize(query));
  const passages = text
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/\n{2,}|(?<=[.!?])\s+/)
    .map((passage) =>
      passage
        .replace(/^#+\s*/gm, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((passage) => passage.length > 0);
  let best = passages[0] ?? '';
  let bestScore = -1;
  for (const passage of passages) {
    const score = tokenize(passage).filter((term) => terms.has(term)).length;
    if (score > bestScore) {
      best = passage;
      bestScore = score;
    }
  }
  return best.length > maxLength ? `${best.slice(0, maxLength - 1).trimEnd()}…` : best;
}
