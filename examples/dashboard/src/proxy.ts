import { type NextRequest, NextResponse } from 'next/server';
import { isAdminPath } from '@/navigation';
import { SESSION_COOKIE, openSession } from '@/server/session';

export async function proxy(request: NextRequest) {
  const session = await openSession(request.cookies.get(SESSION_COOKIE)?.value);
  const { pathname, search } = request.nextUrl;
  if (!session) {
    const url = request.nextUrl.clone();
    url.pathname = '/login';
    url.search = '';
    url.searchParams.set('next', pathname + search);
    return NextResponse.redirect(url);
  }
  if (session.user.role !== 'admin' && isAdminPath(pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = '/';
    url.search = '?denied=admin';
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = {
  // Pages only: API routes answer 401 JSON themselves, sign-in and static assets are public.
  matcher: ['/((?!api/|login|_next/|favicon.ico|.*\\.(?:png|svg|ico|css|js)$).*)'],
};
