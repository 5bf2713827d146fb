import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE, openSession } from './session';
import type { User } from './users';

/** The signed-in user for a server component; redirects to sign-in when there is none. */
export async function requireUser(): Promise<User> {
  const session = await openSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (!session) redirect('/login');
  return session.user;
}

/** Like {@link requireUser}, but members are sent back to the assistant. */
export async function requireAdmin(): Promise<User> {
  const user = await requireUser();
  if (user.role !== 'admin') redirect('/?denied=admin');
  return user;
}
