import 'server-only';
import {
  createChatHandler,
  createOfflineModel,
  createSamplingHandler,
  rankToolsByKeywords,
  type ToolRanker,
} from '@tekup/ai-assistant/server';
import {
  createToolRanker,
  danishLexicon,
  englishLexicon,
  tekupDemoLexicon,
} from '@tekup/offline-provider';
import { createMemoryRateLimitStore, type RateLimitStore } from '@tekup/mcp-gateway';
import { authenticate } from './auth';
import { env } from './env';
import { ApiError, errorResponse } from './http';
import { readSession } from './session';
import { recordRequest, recordTokens, tokensToday, type UsageSubject } from './usage';

let limiter: Promise<RateLimitStore> | undefined;

/** The chat limit lives where the gateway's limits live: Redis when set, so instances share it. */
function chatLimiter(): Promise<RateLimitStore> {
  limiter ??= (async () => {
    const { redisUrl } = env();
    if (!redisUrl) return createMemoryRateLimitStore();
    const { createRedisRateLimitStore } = await import('@tekup/mcp-gateway/node');
    return createRedisRateLimitStore({ url: redisUrl, prefix: 'tekup:chat-rl:' });
  })();
  return limiter;
}

function secondsUntilUtcMidnight(now = Date.now()): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return Math.ceil((midnight.getTime() - now) / 1000);
}

/**
 * Lets one model request of a subject through, or throws: a per-subject rate limit per minute
 * (fail open when the limiter is down) and the daily token quota; counts the request.
 * `/api/chat` and `/api/ai/query` both go through it.
 */
export async function admitModelRequest(subject: UsageSubject): Promise<void> {
  const settings = env();
  const decision = await (await chatLimiter())
    .consume(
      [
        {
          key: `chat:${subject.id}`,
          rule: { points: settings.chatRequestsPerMinute, durationMs: 60_000 },
        },
      ],
      1,
      Date.now(),
    )
    .catch((error: unknown) => {
      // Fail open, like the gateway's default: a limiter outage must not stop the chat.
      console.warn('chat rate limiter unavailable', error instanceof Error ? error.message : error);
      return undefined;
    });
  if (decision && !decision.allowed) {
    throw new ApiError(
      'rate_limited',
      'Too many requests. Wait a moment and try again.',
      Math.ceil(decision.retryAfterMs / 1000),
    );
  }
  if ((await tokensToday(subject.id)) >= settings.dailyTokenQuota) {
    throw new ApiError(
      'quota_exceeded',
      'The daily token quota is used up. It resets at midnight UTC.',
      secondsUntilUtcMidnight(),
    );
  }
  await recordRequest(subject);
}

const byConcept = createToolRanker({ lexicon: [englishLexicon, danishLexicon, tekupDemoLexicon] });

/**
 * Which tools a hosted model is shown first: those the user's words point at through the Tekup
 * vocabulary (Danish included: "fakturaer" is about invoices), then keyword matches. Users here
 * write Danish to tools described in English, which keywords alone cannot bridge.
 */
const rankTekupTools: ToolRanker = async (query, tools) => [
  ...new Set([...byConcept(query, tools), ...(await rankToolsByKeywords(query, tools))]),
];

/** The model, the admission (sign-in, rate limit, quota) and the metering every model route shares. */
function modelRouteOptions(modelEnv: Record<string, string | undefined>) {
  const pinned = env().demoNow;
  return {
    env: modelEnv,
    // A pinned demo clock applies to the offline model only; a real model reads the real date.
    ...(pinned && !modelEnv.OPENAI_API_KEY
      ? { model: createOfflineModel({ now: () => pinned }) }
      : {}),
    async admit(request: Request): Promise<Response | undefined> {
      try {
        const caller = await authenticate(request);
        if (caller.kind !== 'user') throw new ApiError('forbidden', 'Chat is for signed-in users.');
        const { user } = caller;
        await admitModelRequest({ id: user.id, kind: 'user', tenantId: user.tenantId });
        return undefined;
      } catch (error) {
        return errorResponse(error);
      }
    },
    async onUsage({
      usage,
      request,
    }: {
      usage: { inputTokens: number | undefined; outputTokens: number | undefined };
      request: Request;
    }) {
      const session = await readSession(request);
      if (!session) return;
      const { user } = session;
      await recordTokens(
        { id: user.id, kind: 'user', tenantId: user.tenantId },
        usage.inputTokens ?? 0,
        usage.outputTokens ?? 0,
      );
    },
  };
}

/** Refuses the signed-out before a route parses a large body. */
function signedInOnly(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    if (!(await readSession(request)))
      return errorResponse(new ApiError('unauthorized', 'Sign in first.'));
    return handler(request);
  };
}

/** Builds the `/api/chat` handler: sign-in, per-user rate limit and daily token quota, usage metering. */
export function createDashboardChatHandler(
  options: { env?: Record<string, string | undefined> } = {},
) {
  const { admit, ...shared } = modelRouteOptions(options.env ?? process.env);
  return signedInOnly(
    createChatHandler({
      ...shared,
      maxSteps: 6,
      toolSearch: env().toolSearch ? { rank: rankTekupTools } : false,
      beforeStream: (request) => admit(request),
    }),
  );
}

/**
 * Builds `/api/chat/sampling`: a server's request for the assistant's model during a tool call,
 * after the user allowed it on the call's card — admitted and metered like a chat turn.
 */
export function createDashboardSamplingHandler(
  options: { env?: Record<string, string | undefined> } = {},
) {
  return signedInOnly(createSamplingHandler(modelRouteOptions(options.env ?? process.env)));
}
