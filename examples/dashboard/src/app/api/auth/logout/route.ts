import { assertSameOrigin, errorResponse } from '@/server/http';
import { clearedSessionCookie } from '@/server/session';

export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
    return new Response(null, {
      status: 303,
      headers: { location: '/login', 'set-cookie': clearedSessionCookie(request) },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
