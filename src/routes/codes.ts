/** `POST /api/v1/codes/redeem`: a customer (or the shop's form) enters an action code. Public: no key. */
import { createRoute } from '@hono/zod-openapi';
import { secondsText } from '../lib/plural';
import type { Context } from 'hono';
import type { CodeRejection } from '../domain/vocab';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/errors';
import { captureFacts } from '../services/touch-recorder';
import { createRouter } from '../lib/validation';
import { RedeemedSchema, RedeemInput } from '../schemas/codes';
import { errorResponse, jsonBody, jsonResponse } from '../schemas/common';
import { decideVisitor } from '../lib/visitor';
import { canKeepCodeEntry, enterActionCode, recordCodeEntry, type CodeEntryOutcome } from '../services/code-entry';

export const REFUSAL_MESSAGES: Record<CodeRejection, string> = {
  invalid_code: 'This is not a valid code: check it for typos',
  unknown_code: 'There is no such code',
  code_used_up: 'This code has already been used',
  code_expired: 'This code has expired',
  code_not_started: 'This code is not valid yet',
  rate_limited: 'Too many unknown, used-up or expired codes were entered from this network; try again later',
};

/** Code entry paused: the process is stopping, its buffers are full, or D1 failed; nothing was redeemed that will be lost. */
export const ENTRY_PAUSED_SECONDS = 10;
const entryPaused = () =>
  new ApiError('unavailable', `Code entry is paused for a moment; try again in ${ENTRY_PAUSED_SECONDS} seconds`, {
    'Retry-After': String(ENTRY_PAUSED_SECONDS),
  });

/** Enters a code for the request: decides, then logs the entry (and its touch) after the response. */
export async function enterCodeFor(c: Context<AppEnv>, code: string, customerRef: string | null, source: 'api' | 'page') {
  const now = c.var.now();
  // Accept only what can be kept: the entry's log and touch are written after the response.
  if (!canKeepCodeEntry(c.env)) throw entryPaused();
  const visitor = decideVisitor(c, now);
  const input = { code, customerRef, source, visitorId: visitor.id, facts: captureFacts(c.req.raw, c.env) };
  const outcome: CodeEntryOutcome = await enterActionCode(c.var.db, c.env, input, now).catch((error: unknown) => {
    if (error instanceof ApiError) throw error;
    console.error('entering a code failed', error);
    throw entryPaused();
  });
  c.executionCtx.waitUntil(recordCodeEntry(c.env, input, outcome, now).catch((error) => console.error('logging a code entry failed', error)));
  if (outcome.status === 'accepted' && visitor.setCookie) c.header('Set-Cookie', visitor.setCookie);
  return outcome;
}

export const codes = createRouter();

codes.openapi(
  createRoute({
    method: 'post',
    path: '/redeem',
    tags: ['codes'],
    request: jsonBody(RedeemInput),
    responses: {
      200: jsonResponse(RedeemedSchema, 'The code is accepted'),
      400: errorResponse('invalid_code: fails its check character (no lookup made); or invalid input'),
      404: errorResponse('unknown_code'),
      410: errorResponse('code_used_up, code_expired or code_not_started'),
      429: errorResponse('rate_limited: too many unknown, used-up or expired codes from this client (IPv4 address or IPv6 /64); see Retry-After'),
      503: errorResponse('unavailable: entry paused while the store fails or the Worker stops; nothing was redeemed; see Retry-After'),
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const outcome = await enterCodeFor(c, input.code, input.customer_ref ?? null, 'api');
    if (outcome.status === 'rejected') {
      const retry = outcome.retryAfterSeconds;
      const message = retry
        ? `Too many unknown, used-up or expired codes were entered from this network; try again in ${secondsText(retry)} (mistyped codes do not count)`
        : REFUSAL_MESSAGES[outcome.reason];
      throw new ApiError(outcome.reason, message, retry ? { 'Retry-After': String(retry) } : {});
    }
    return c.json(
      { status: 'accepted' as const, campaign_id: outcome.campaignId, batch_id: outcome.batchId, ...(outcome.reward ? { reward: outcome.reward } : {}) },
      200,
    );
  },
);
