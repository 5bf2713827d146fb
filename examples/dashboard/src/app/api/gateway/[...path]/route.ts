import { runtime } from '@/server/gateway';
import { errorResponse } from '@/server/http';

// Streaming MCP responses must not be cached or buffered by Next.
export const dynamic = 'force-dynamic';

async function forward(request: Request): Promise<Response> {
  try {
    const { gateway } = await runtime();
    return await gateway.fetch(request);
  } catch (error) {
    return errorResponse(error);
  }
}

export const GET = forward;
export const POST = forward;
export const DELETE = forward;
export const OPTIONS = forward;
