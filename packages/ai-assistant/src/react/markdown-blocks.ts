/**
 * Splits Markdown into its top-level blocks (paragraphs, lists, tables, fenced code), at blank
 * lines outside code fences. Rendering block by block, each memoized on its own text, means a
 * streamed answer re-parses only the block being written, not everything above it.
 *
 * A list or quote with blank lines between its items becomes several blocks; that renders the
 * same (an ordered list keeps its numbering through the start number of each part).
 */
export function splitMarkdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
  };
  for (const line of text.split('\n')) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opener !== undefined) {
      fence = opener;
    } else if (
      fence !== undefined &&
      opener !== undefined &&
      opener[0] === fence[0] &&
      opener.length >= fence.length &&
      line.trim() === opener
    ) {
      fence = undefined;
    }
    if (fence === undefined && line.trim() === '') {
      flush();
      continue;
    }
    current.push(line);
  }
  flush();
  return blocks;
}
