import type { ReactNode } from 'react';
import { NavLink } from '@/components/nav-link';
import { PAGES } from '@/navigation';
import { requireUser } from '@/server/current-user';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-slate-200 border-b bg-white md:w-60 md:shrink-0 md:border-r md:border-b-0">
        <div className="flex items-center gap-2 px-4 py-4">
          <span
            aria-hidden="true"
            className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 font-bold text-white"
          >
            T
          </span>
          <span className="font-semibold">Tekup Dashboard</span>
        </div>
        <nav aria-label="Main" className="px-2 pb-2">
          <ul className="flex gap-1 overflow-x-auto md:flex-col">
            {PAGES.filter((link) => !link.admin || user.role === 'admin').map((link) => (
              <li key={link.href}>
                <NavLink href={link.href}>{link.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="hidden border-slate-100 border-t px-4 py-4 text-sm md:block">
          <p className="font-medium" data-testid="current-user">
            {user.name}
          </p>
          <p className="text-slate-500 text-xs">
            {user.email} · {user.role}
          </p>
          <p className="text-slate-500 text-xs">{user.tenantName}</p>
          <form method="post" action="/api/auth/logout" className="mt-3">
            <button
              type="submit"
              className="text-brand-700 text-sm underline-offset-2 hover:underline"
            >
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 p-4 md:p-8">
        {children}
        <form method="post" action="/api/auth/logout" className="mt-8 md:hidden">
          <button type="submit" className="text-brand-700 text-sm">
            Sign out ({user.email})
          </button>
        </form>
      </main>
    </div>
  );
}
