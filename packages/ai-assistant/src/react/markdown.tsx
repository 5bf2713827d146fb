import { type ComponentProps, memo } from 'react';
import ReactMarkdown, { type Components, defaultUrlTransform } from 'react-markdown';
import { splitMarkdownBlocks } from './markdown-blocks';

interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/** Shows raw HTML in an answer as the literal text it is (never as markup). */
function remarkHtmlAsText() {
  const visit = (node: MarkdownNode) => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(visit);
  };
  return (tree: MarkdownNode) => visit(tree);
}

const plugins = [remarkHtmlAsText];

const components: Components = {
  a: ({ node: _node, href, children, ...rest }: ComponentProps<'a'> & { node?: unknown }) => (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  img: ({ alt }: ComponentProps<'img'>) => <span>{alt ? `[image: ${alt}]` : '[image]'}</span>,
};

/** One top-level block, parsed again only when its own text changes. */
const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={plugins}
      components={components}
      urlTransform={defaultUrlTransform}
    >
      {text}
    </ReactMarkdown>
  );
});

/**
 * Renders an answer as Markdown: no raw HTML, safe links, code blocks. Block by block, so a
 * streamed answer parses only the block being written.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = splitMarkdownBlocks(text);
  return (
    <div className="ta-markdown">
      {blocks.map((block, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end while streaming
        <MarkdownBlock key={index} text={block} />
      ))}
    </div>
  );
});
