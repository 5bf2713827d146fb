/**
 * The dashboard's pages: the navigation shows them, and the proxy keeps members out of the
 * admin ones (each admin page also checks the role itself on the server).
 */
export const PAGES = [
  { href: '/', label: 'Assistant', admin: false },
  { href: '/audit', label: 'Audit log', admin: false },
  { href: '/health', label: 'Gateway health', admin: false },
  { href: '/usage', label: 'Usage', admin: false },
  { href: '/keys', label: 'API keys', admin: true },
  { href: '/settings', label: 'Settings', admin: true },
] as const;

/** Whether `pathname` is (under) a page only admins may open. */
export function isAdminPath(pathname: string): boolean {
  return PAGES.some(
    (page) => page.admin && (pathname === page.href || pathname.startsWith(`${page.href}/`)),
  );
}
