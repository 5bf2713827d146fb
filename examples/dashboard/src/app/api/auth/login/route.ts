import { ApiError, assertSameOrigin, errorResponse, json } from '@/server/http';
import { clearedSessionCookie, sessionCookie } from '@/server/session';
import { authenticateUser } from '@/server/users';

function safeNext(value: unknown): string {
  // Only same-site paths: an open redirect after sign-in would hand phishers a trusted URL.
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/';
}

export async function POST(request: Request): Promise<Response> {
  const isForm = (request.headers.get('content-type') ?? '').includes(
    'application/x-www-form-urlencoded',
  );
  try {
    assertSameOrigin(request);
    let email: unknown;
    let password: unknown;
    let next: unknown;
    if (isForm) {
      const form = await request.formData();
      email = form.get('email');
      password = form.get('password');
      next = form.get('next');
    } else {
      const body = (await request.json().catch(() => {
        throw new ApiError('invalid_request', 'Body is not valid JSON.');
      })) as Record<string, unknown>;
      ({ email, password, next } = body);
    }
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw new ApiError('invalid_request', 'Email and password are required.');
    }
    const user = await authenticateUser(email, password);
    if (!user) {
      if (isForm) {
        const url = new URL('/login', request.url);
        url.searchParams.set('error', 'invalid');
        url.searchParams.set('next', safeNext(next));
        return new Response(null, {
          status: 303,
          headers: {
            location: url.pathname + url.search,
            'set-cookie': clearedSessionCookie(request),
          },
        });
      }
      throw new ApiError('unauthorized', 'Wrong email or password.');
    }
    const cookie = await sessionCookie(request, user);
    if (isForm) {
      return new Response(null, {
        status: 303,
        headers: { location: safeNext(next), 'set-cookie': cookie },
      });
    }
    return json({ user }, { headers: { 'set-cookie': cookie } });
  } catch (error) {
    return errorResponse(error);
  }
}
