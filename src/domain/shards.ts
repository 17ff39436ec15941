/**
 * Sharded touches (docs/DESIGN.md "Sharded touches"): which of the touch
 * databases holds a visitor's touches. A pure function of the visitor id and
 * the shard count, so every writer and reader agrees without a lookup.
 */

/** The most touch shards an installation may have (TOUCH_SHARDS). */
export const MAX_TOUCH_SHARDS = 64;

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`: small, fast and stable across runtimes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard (0 … count − 1) of a visitor's touches; touches without a visitor (promo redemptions) live on shard 0. */
export function shardOfVisitor(visitorId: string | null | undefined, count: number): number {
  if (!visitorId || count <= 1) return 0;
  return fnv1a32(visitorId) % count;
}

/** The TOUCH_SHARDS setting: a whole number from 1 to MAX_TOUCH_SHARDS; empty means 1; anything else is refused. */
export function parseShardCount(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_TOUCH_SHARDS) {
    throw new Error(`TOUCH_SHARDS must be a whole number from 1 to ${MAX_TOUCH_SHARDS}, not "${value}"`);
  }
  return count;
}

/** Items grouped by the shard `shardOf` gives each, in their order; shards without items are absent. */
export function groupByShard<T>(items: readonly T[], shardOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOf(item);
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}

/** What decides a conversion's shard: its customer's keyed hash, else its order id, else its own id. */
export interface ConversionShardKey {
  customerHash: string | null;
  orderId: string | null;
  id: string;
}

/**
 * The shard (0 … count − 1) of a conversion when conversions are sharded (SHARD_CONVERSIONS): by its customer, so a
 * customer's conversions and identity links sit together; without a customer by its order id, so a retried order
 * lands where the first one did; else by its id.
 */
export function shardOfConversion(key: ConversionShardKey, count: number): number {
  if (count <= 1) return 0;
  return fnv1a32(key.customerHash ?? key.orderId ?? key.id) % count;
}
