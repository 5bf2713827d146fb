import { assertSameOrigin, errorResponse } from '@/server/http';
import { revokeSession } from '@/server/revocations';
import { SESSION_TTL_MS, clearedSessionCookie, readSession } from '@/server/session';

/** Signs out: the session ends on the server too, so a copied cookie stops working. */
export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
    const session = await readSession(request);
    if (session) await revokeSession(session.sid, session.issuedAt + SESSION_TTL_MS);
    return new Response(null, {
      status: 303,
      headers: { location: '/login', 'set-cookie': clearedSessionCookie(request) },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
