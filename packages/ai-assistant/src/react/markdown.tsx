import { type ComponentProps, memo } from 'react';
import ReactMarkdown, { type Components, defaultUrlTransform } from 'react-markdown';

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

/** Renders an answer as Markdown: no raw HTML, safe links, code blocks. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="ta-markdown">
      <ReactMarkdown
        remarkPlugins={plugins}
        components={components}
        urlTransform={defaultUrlTransform}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
