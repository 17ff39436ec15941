import { describe, expect, it } from 'vitest';
import { touchShardBindings } from '../../src/db/shards';
import { fnv1a32, groupByShard, parseShardCount, shardOfConversion, shardOfVisitor } from '../../src/domain/shards';

const d1 = (name: string) => ({ name, prepare: () => undefined }) as unknown as D1Database;

describe('touch shards', () => {
  it('hashes with FNV-1a (32 bits), the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts a visitor on the shard of its hash, touches without a visitor on shard 0', () => {
    expect(shardOfVisitor('v_alice_laptop', 3)).toBe(0);
    expect(shardOfVisitor('v_alice_phone', 3)).toBe(1);
    expect(shardOfVisitor('v_alice_tablet', 3)).toBe(2);
    expect(shardOfVisitor(null, 3)).toBe(0);
    expect(shardOfVisitor('v_alice_tablet', 1)).toBe(0);
  });

  it('reads TOUCH_SHARDS as a whole number from 1 to 64, empty as 1', () => {
    expect([undefined, '', '1', '3', '64'].map(parseShardCount)).toEqual([1, 1, 1, 3, 64]);
    for (const bad of ['0', '65', '2.5', 'three', '-1'])
      expect(() => parseShardCount(bad)).toThrow(`TOUCH_SHARDS must be a whole number from 1 to 64, not "${bad}"`);
  });

  it('groups items by shard, keeping their order', () => {
    expect([...groupByShard(['a', 'b', 'c', 'd'], (item) => (item === 'b' || item === 'd' ? 1 : 0))]).toEqual([
      [0, ['a', 'c']],
      [1, ['b', 'd']],
    ]);
  });

  it('resolves the shard bindings, DB first, and names a missing one', () => {
    const env = { DB: d1('main'), TOUCH_DB_1: d1('one'), TOUCH_DB_2: d1('two') };
    expect(touchShardBindings({ ...env, TOUCH_SHARDS: '3' }).map((db) => (db as unknown as { name: string }).name)).toEqual(['main', 'one', 'two']);
    expect(touchShardBindings({ ...env, TOUCH_SHARDS: '1' })).toHaveLength(1);
    expect(() => touchShardBindings({ DB: d1('main'), TOUCH_DB_1: d1('one'), TOUCH_SHARDS: '3' } as never)).toThrow(
      'TOUCH_SHARDS is 3 but the D1 binding TOUCH_DB_2 is missing: add it to wrangler.toml (see the README, "Sharded touches")',
    );
  });

  it('puts a conversion on its customer’s shard, else its order’s, else its own', () => {
    // FNV-1a mod 3: 'cust-a' → 0, 'order-1' → 1, 'cnv_1' → 0.
    expect(shardOfConversion({ customerHash: 'cust-a', orderId: 'order-1', id: 'cnv_1' }, 3)).toBe(0);
    expect(shardOfConversion({ customerHash: null, orderId: 'order-1', id: 'cnv_1' }, 3)).toBe(1);
    expect(shardOfConversion({ customerHash: null, orderId: null, id: 'cnv_1' }, 3)).toBe(0);
    expect(shardOfConversion({ customerHash: null, orderId: 'order-1', id: 'cnv_1' }, 1)).toBe(0);
  });
});
