import { describe, expect, it } from 'vitest';
import {
  appContentSecurityPolicy,
  MCP_APP_MIME_TYPE,
  toAppView,
  withContentSecurityPolicy,
} from './apps';

describe('the sandbox of an MCP App', () => {
  it('allows nothing from the network unless the page declared it', () => {
    const policy = appContentSecurityPolicy({});
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("frame-src 'none'");
    expect(policy).toContain("script-src 'unsafe-inline'; ");
    expect(policy).not.toMatch(/https?:/);
  });

  it('adds declared origins and drops anything that could smuggle in a directive', () => {
    const policy = appContentSecurityPolicy({
      connectDomains: ['https://api.billy.dk', "https://x.dk; script-src 'unsafe-eval'", '*'],
      resourceDomains: ['https://*.cdn.example.com', 'javascript:alert(1)', "'self'"],
    });
    expect(policy).toContain('connect-src https://api.billy.dk;');
    expect(policy).toContain("script-src 'unsafe-inline' https://*.cdn.example.com;");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('javascript:');
    expect(policy).not.toMatch(/ \*(;|$)/);
    expect(policy.split('; ').filter((part) => part.startsWith('script-src'))).toHaveLength(1);
  });

  it('puts the policy before anything in the page, doctype or not', () => {
    const policy = "default-src 'none'";
    const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
    expect(withContentSecurityPolicy('<!DOCTYPE html><script>1</script>', policy)).toBe(
      `<!DOCTYPE html>${meta}<script>1</script>`,
    );
    expect(withContentSecurityPolicy('<script>1</script>', policy)).toBe(
      `<!doctype html>${meta}<script>1</script>`,
    );
  });

  it('reads only an MCP App page of the URI asked for', () => {
    const page = { uri: 'ui://billy/invoice.html', mimeType: MCP_APP_MIME_TYPE, text: '<p>x</p>' };
    expect(
      toAppView(
        {
          contents: [{ ...page, _meta: { ui: { csp: { connectDomains: ['https://a.dk', 3] } } } }],
        },
        page.uri,
      ),
    ).toEqual({ html: '<p>x</p>', csp: { connectDomains: ['https://a.dk'] }, permissions: {} });
    expect(() => toAppView({ contents: [{ ...page, mimeType: 'text/html' }] }, page.uri)).toThrow(
      /not an MCP App page/,
    );
    expect(() => toAppView({ contents: [page] }, 'ui://billy/other.html')).toThrow();
  });
});
