/**
 * Entering an action code (redeem API and the hosted /redeem page): the check
 * character refuses typos without a lookup, the rate limiter stops guessing,
 * one D1 batch reads the limiter's count and counts the redemption (a conditional UPDATE). Every entry is logged with its
 * result after the response; an accepted one also becomes a `code_entry` touch.
 */
import { attemptRedemption } from '../db/action-codes';
import { createDb, type Db } from '../db/client';
import { insertCodeEntries } from '../db/code-entries';
import type { NewCodeEntry } from '../db/schema';
import { parseActionCode } from '../domain/codes';
import { parseRateLimit, retryAfterSeconds } from '../domain/rate-limit';
import type { CodeRejection } from '../domain/vocab';
import { hashSecret, type Bindings } from '../env';
import { clientHashOfIp } from './client-hash';
import { hmacHex } from '../lib/crypto';
import { customerHashOf } from '../lib/customer';
import { newId } from '../lib/ids';
import { toIso } from '../lib/time';
import { canKeepTouch, recordTouch, touchBufferMaxRows, type RequestFacts } from './touch-recorder';
import { codeEntryOccasion, earnOrQueue } from './loyalty-occasions';
import { WriteBuffer, type BufferSettings, type BufferSink, type BufferState } from '../lib/write-buffer';
import { emitEvent } from './webhook-events';

export interface CodeEntryInput {
  code: string;
  customerRef: string | null;
  source: 'api' | 'page';
  /** The visitor cookie's id, or null for a hashed visitor. */
  visitorId: string | null;
  facts: RequestFacts;
}

export type CodeEntryOutcome =
  | { status: 'accepted'; code: string; batchId: string; campaignId: string; reward: string | null; touchId: string }
  | { status: 'rejected'; reason: CodeRejection; code: string; batchId: string | null; campaignId: string | null; retryAfterSeconds: number | null };

const rejected = (
  reason: CodeRejection,
  code: string,
  state: { batchId: string; campaignId: string } | null = null,
  retry: number | null = null,
): CodeEntryOutcome => ({
  status: 'rejected',
  reason,
  code,
  batchId: state?.batchId ?? null,
  campaignId: state?.campaignId ?? null,
  retryAfterSeconds: retry,
});

/** The rate limiter's key: the client's keyed hash (lib/client.ts), the same for every limiter. */
export const clientHashOf = (env: Bindings, input: Pick<CodeEntryInput, 'facts'>): Promise<string> => clientHashOfIp(env, input.facts.ip);

/**
 * Decides one entry. Performs the redemption; logging is left to recordCodeEntry.
 * A code failing its check character is a typo, refused before the limiter and
 * not counted by it: it reveals nothing a guesser could not compute offline, and
 * a customer who mistyped a few times must not find their valid code refused.
 */
export async function enterActionCode(db: Db, env: Bindings, input: CodeEntryInput, now: number): Promise<CodeEntryOutcome> {
  const parsed = parseActionCode(input.code);
  if (!parsed.ok) return rejected('invalid_code', parsed.normalised);
  const code = parsed.code;

  const limit = parseRateLimit(env.CODE_ENTRY_MAX_FAILURES, env.CODE_ENTRY_WINDOW_SECONDS);
  const attempt = await attemptRedemption(db, code, now, {
    clientHash: await clientHashOf(env, input),
    since: now - limit.windowMs,
    maxFailures: limit.maxFailures,
  });
  const retry = retryAfterSeconds(attempt.nthFailureAt, now, limit);
  if (retry !== null) return rejected('rate_limited', code, null, retry);

  const { redeemed, state } = attempt;
  if (redeemed) {
    const accepted = {
      status: 'accepted',
      code,
      batchId: redeemed.batchId,
      campaignId: redeemed.campaignId,
      reward: redeemed.reward,
      touchId: newId('click', now),
    } as const;
    await emitEvent(
      db,
      'code.redeemed',
      { code, campaign_id: accepted.campaignId, batch_id: accepted.batchId, reward: accepted.reward, touch_id: accepted.touchId, source: input.source },
      now,
    );
    return accepted;
  }
  if (!state) return rejected('unknown_code', code);
  const at = toIso(now);
  if (state.startsAt && at < state.startsAt) return rejected('code_not_started', code, state);
  if (state.campaignArchived || (state.expiresAt && at >= state.expiresAt)) return rejected('code_expired', code, state);
  return rejected('code_used_up', code, state);
}

/**
 * What a code entry keeps of the input: the normalised code when it matched a
 * known action or promo code; anything else a customer typed (an e-mail
 * address, a name, a typo) only as `h:` + its keyed hash under HASH_SECRET, so
 * repeats of the same wrong input still count together without the input being
 * kept (schema/0012_code_entry_input_hash.sql).
 */
export async function storedEntryInput(env: Bindings, normalised: string, matched: boolean): Promise<string> {
  return matched ? normalised.slice(0, 40) : `h:${await hmacHex(hashSecret(env), `code-input:${normalised}`)}`;
}

/** Code entries of this isolate not yet stored (the redemption itself is already committed; this is its log). */
const entryBuffer = new WriteBuffer<NewCodeEntry>('code entries');

const entrySink = (env: Bindings): BufferSink<NewCodeEntry> => ({ write: (rows) => insertCodeEntries(createDb(env.DB), rows) });
const entrySettings = (env: Bindings): BufferSettings => ({ windowMs: 15, maxRows: touchBufferMaxRows(env) });

/** Carries the pending code entries if no live carrier does (the cron, a stop). */
export async function carryPendingCodeEntries(env: Bindings): Promise<void> {
  await entryBuffer.carry(entrySink(env), { ...entrySettings(env), windowMs: 0 });
}

/** Writes every pending code entry of this isolate; false at the timeout. */
export const drainCodeEntries = (env: Bindings, timeoutMs: number): Promise<boolean> => entryBuffer.drain(entrySink(env), timeoutMs);

/**
 * Whether an entry can be kept: its log row (and its touch) are written after
 * the response, so an entry is only taken while both buffers have room and the
 * process is not stopping. A plain check, no I/O.
 */
export const canKeepCodeEntry = (env: Bindings): boolean => canKeepTouch(env) && entryBuffer.hasRoom(touchBufferMaxRows(env));

/** What the code-entry buffer of this isolate holds and has written. */
export const codeEntryBufferState = (): BufferState => entryBuffer.state();

/** Logs the entry with its result and, when accepted, records its `code_entry` touch (channel offline). */
export async function recordCodeEntry(env: Bindings, input: CodeEntryInput, outcome: CodeEntryOutcome, now: number): Promise<void> {
  const accepted = outcome.status === 'accepted';
  const entry: NewCodeEntry = {
    id: newId('codeEntry', now),
    occurred_at: toIso(now),
    source: input.source,
    input: await storedEntryInput(env, outcome.code, outcome.batchId !== null),
    result: accepted ? 'accepted' : outcome.reason,
    batch_id: outcome.batchId,
    promo_code_id: null,
    campaign_id: outcome.campaignId,
    client_hash: await clientHashOf(env, input),
    visitor_id: input.visitorId,
    customer_hash: input.customerRef ? await customerHashOf(env, input.customerRef) : null,
    touch_id: accepted ? outcome.touchId : null,
  };
  await Promise.all([
    entryBuffer.add(entry, entrySink(env), entrySettings(env)),
    accepted
      ? recordTouch(env, {
          id: outcome.touchId,
          type: 'code_entry',
          occurredAt: now,
          campaignId: outcome.campaignId,
          linkId: null,
          channel: 'offline',
          visitorId: input.visitorId,
          utm: {},
          facts: input.facts,
        })
      : Promise.resolve(),
    // Bonus program: an accepted entry with a customer earns its code points (never failing the entry).
    accepted && entry.customer_hash
      ? earnOrQueue(
          createDb(env.DB),
          codeEntryOccasion({
            id: entry.id,
            customerHash: entry.customer_hash,
            campaignId: outcome.campaignId,
            country: input.facts.country,
            region: input.facts.region,
            occurredAt: now,
          }),
          now,
        )
      : Promise.resolve(),
  ]);
}
