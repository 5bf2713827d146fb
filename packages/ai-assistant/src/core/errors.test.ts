import { describe, expect, it } from 'vitest';
import {
  AssistantError,
  describeError,
  describeGatewayError,
  errorFromResponse,
  parseRetryAfter,
} from './errors';

describe('errors', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(
      parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1)),
    ).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('turns a 429 route response into a rate-limit error with its delay', async () => {
    const error = await errorFromResponse(
      Response.json(
        { error: { code: 'rate_limited', message: 'Slow down' } },
        { status: 429, headers: { 'retry-after': '7' } },
      ),
    );
    expect(error).toBeInstanceOf(AssistantError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfter: 7,
      routeCode: 'rate_limited',
    });
    expect(describeError(error)).toMatchObject({ code: 'rate_limited', retryAfter: 7 });
  });

  it('keeps the route message for other failures, and copes with non-JSON bodies', async () => {
    const json = await errorFromResponse(
      Response.json(
        { error: { code: 'invalid_request', message: 'Too many tools' } },
        { status: 400 },
      ),
    );
    expect(describeError(json).message).toBe('Too many tools');
    const text = await errorFromResponse(
      new Response('<html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(text.message).toBe('The chat service answered 502 Bad Gateway');
  });

  it('names the server or gateway that failed', () => {
    expect(
      describeGatewayError({ message: 'x', server: 'billy', gatewayCode: 'upstream_unavailable' }),
    ).toBe('The server "billy" is unavailable right now.');
    expect(describeGatewayError({ message: 'x', code: 'network' }, 'https://gw')).toBe(
      'Could not reach the gateway at https://gw.',
    );
    expect(
      describeGatewayError({
        message: 'x',
        server: 'billy',
        gatewayCode: 'rate_limited',
        retryAfter: 3,
      }),
    ).toBe('The server "billy" is rate limited; try again in 3 s.');
  });
});
