/**
 * Prize draws (Gewinnspiel), provably fair. A draw's secret seed is 32 random bytes written as 64 lowercase
 * hex characters; what is published before the run is `seed_hash` = SHA-256 over the UTF-8 bytes of that hex
 * string (`printf %s "$seed" | sha256sum`). At the run every entry is ranked by
 * HMAC-SHA-256(key = the seed's hex string as UTF-8 bytes, message = the entry id as UTF-8 bytes), written in
 * lowercase hex (`printf %s "$entry_id" | openssl dgst -sha256 -hmac "$seed"`), lowest first (equal ranks,
 * which never happen in practice, by entry id); the ranking is walked skipping members who already won until
 * there are `prizes` winners. Anyone with the entry list and the revealed seed can recompute the winners.
 */
import { hmacHex, sha256Hex } from '../lib/crypto';

export const DRAW_STATUSES = ['upcoming', 'open', 'closed', 'drawn'] as const;
export type DrawStatus = (typeof DRAW_STATUSES)[number];

export interface DrawEntry {
  entryId: string;
  memberId: string;
  occurredAt: string;
}

export interface DrawWinner {
  place: number;
  memberId: string;
  entryId: string;
}

/** Where a draw stands at `now`: before its window, in it, closed but not run, or run. */
export function drawStatus(draw: { startsAt: string; endsAt: string; ranAt: string | null }, now: number): DrawStatus {
  if (draw.ranAt !== null) return 'drawn';
  if (now < Date.parse(draw.startsAt)) return 'upcoming';
  return now < Date.parse(draw.endsAt) ? 'open' : 'closed';
}

/** What is published for a seed before the run: hex SHA-256 of the seed's hex string. */
export const seedHashOf = (seed: string): Promise<string> => sha256Hex(seed);

/** An entry's place in the ranking: hex HMAC-SHA-256 of its id under the seed. */
export const entryRank = (seed: string, entryId: string): Promise<string> => hmacHex(seed, entryId);

const byRank = (a: { rank: string; entryId: string }, b: { rank: string; entryId: string }) =>
  a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;

/** The winners of a draw: up to `prizes` entries in rank order, one per member. */
export async function drawWinners(seed: string, entries: readonly DrawEntry[], prizes: number): Promise<DrawWinner[]> {
  const ranked = await Promise.all(entries.map(async (entry) => ({ ...entry, rank: await entryRank(seed, entry.entryId) })));
  ranked.sort(byRank);
  const winners: DrawWinner[] = [];
  const won = new Set<string>();
  for (const entry of ranked) {
    if (winners.length === prizes) break;
    if (won.has(entry.memberId)) continue;
    won.add(entry.memberId);
    winners.push({ place: winners.length + 1, memberId: entry.memberId, entryId: entry.entryId });
  }
  return winners;
}
