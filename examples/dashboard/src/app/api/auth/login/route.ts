import { isGatewayError, parseCallerJson, readBody } from '@tekup/mcp-gateway';
import { ApiError, assertSameOrigin, errorResponse, json } from '@/server/http';
import {
  assertLoginAllowed,
  clientAddress,
  recordLoginFailure,
  recordLoginSuccess,
} from '@/server/login-throttle';
import { clearedSessionCookie, sessionCookie } from '@/server/session';
import { authenticateUser } from '@/server/users';

const MAX_BODY_BYTES = 8 * 1024;

function safeNext(value: unknown): string {
  // Only same-site paths: an open redirect after sign-in would hand phishers a trusted URL.
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/';
}

/** The form or JSON body, read within bounds before anything else. */
async function readCredentials(
  request: Request,
  isForm: boolean,
): Promise<{ email: unknown; password: unknown; next: unknown }> {
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (isGatewayError(error)) throw new ApiError('payload_too_large', 'Body too large.');
    throw error;
  }
  if (isForm) {
    const form = new URLSearchParams(text);
    return { email: form.get('email'), password: form.get('password'), next: form.get('next') };
  }
  let body: unknown;
  try {
    body = parseCallerJson(text);
  } catch {
    throw new ApiError('invalid_request', 'Body is not valid JSON.');
  }
  const record = (body ?? {}) as Record<string, unknown>;
  return { email: record.email, password: record.password, next: record.next };
}

export async function POST(request: Request): Promise<Response> {
  const isForm = (request.headers.get('content-type') ?? '').includes(
    'application/x-www-form-urlencoded',
  );
  try {
    assertSameOrigin(request);
    const { email, password, next } = await readCredentials(request, isForm);
    if (
      typeof email !== 'string' ||
      typeof password !== 'string' ||
      !email ||
      !password ||
      email.length > 320 ||
      password.length > 1024
    ) {
      throw new ApiError('invalid_request', 'Email and password are required.');
    }
    const attempt = { email, client: clientAddress(request) };
    await assertLoginAllowed(attempt);
    const user = await authenticateUser(email, password);
    if (!user) {
      await recordLoginFailure(attempt);
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
    await recordLoginSuccess(attempt);
    const cookie = await sessionCookie(request, user);
    if (isForm) {
      return new Response(null, {
        status: 303,
        headers: { location: safeNext(next), 'set-cookie': cookie },
      });
    }
    return json({ user }, { headers: { 'set-cookie': cookie } });
  } catch (error) {
    if (isForm && error instanceof ApiError && error.code === 'rate_limited') {
      const url = new URL('/login', request.url);
      url.searchParams.set('error', 'throttled');
      url.searchParams.set('retry', String(error.retryAfter ?? 1));
      return new Response(null, { status: 303, headers: { location: url.pathname + url.search } });
    }
    return errorResponse(error);
  }
}
