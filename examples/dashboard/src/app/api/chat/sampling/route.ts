import { createDashboardSamplingHandler } from '@/server/chat';

export const dynamic = 'force-dynamic';

let handler: ((request: Request) => Promise<Response>) | undefined;

export async function POST(request: Request): Promise<Response> {
  handler ??= createDashboardSamplingHandler();
  return handler(request);
}
