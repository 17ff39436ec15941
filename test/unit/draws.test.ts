import { describe, expect, it } from 'vitest';
import { drawStatus, drawWinners, entryRank, seedHashOf } from '../../src/domain/draws';

// Expected values from the command lines the docs give a verifier:
//   printf %s "$seed" | sha256sum
//   printf %s "$entry_id" | openssl dgst -sha256 -hmac "$seed"
const SEED = '0123456789abcdef'.repeat(4);
const entry = (entryId: string, memberId: string) => ({ entryId, memberId, occurredAt: '2031-03-01T00:00:00.000Z' });
const ENTRIES = [entry('cen_A', 'm1'), entry('cen_B', 'm2'), entry('cen_C', 'm1'), entry('cen_D', 'm3')];

describe('draw arithmetic', () => {
  it('publishes the SHA-256 of the seed as hex text', async () => {
    expect(await seedHashOf(SEED)).toBe('a8ae6e6ee929abea3afcfc5258c8ccd6f85273e0d4626d26c7279f3250f77c8e');
  });

  it('ranks an entry by HMAC-SHA-256 of its id under the seed', async () => {
    expect(await entryRank(SEED, 'cen_C')).toBe('14effae7da86bbc35f269dfa7ea9f91f8a396a2525790a327c4b8c16a81141e0');
    expect(await entryRank(SEED, 'cen_A')).toBe('528082a94a96df41cb9596342a7d90ae9838e1c3cf56c68a074e4fa38da7aa9a');
  });

  it('takes the lowest ranks first, skipping members who already won', async () => {
    // ranks: C 14ef… (m1), D 3e36… (m3), A 5280… (m1, already won), B d70e… (m2)
    expect(await drawWinners(SEED, ENTRIES, 3)).toEqual([
      { place: 1, memberId: 'm1', entryId: 'cen_C' },
      { place: 2, memberId: 'm3', entryId: 'cen_D' },
      { place: 3, memberId: 'm2', entryId: 'cen_B' },
    ]);
    expect(await drawWinners(SEED, ENTRIES, 1)).toEqual([{ place: 1, memberId: 'm1', entryId: 'cen_C' }]);
  });

  it('gives fewer winners than prizes when there are fewer members', async () => {
    expect((await drawWinners(SEED, ENTRIES, 10)).map((w) => w.memberId)).toEqual(['m1', 'm3', 'm2']);
    expect(await drawWinners(SEED, [], 3)).toEqual([]);
  });

  it('does not depend on the order of the entries', async () => {
    expect(await drawWinners(SEED, [...ENTRIES].reverse(), 3)).toEqual(await drawWinners(SEED, ENTRIES, 3));
  });

  it('says where a draw stands', () => {
    const draw = { startsAt: '2031-03-01T00:00:00.000Z', endsAt: '2031-03-08T00:00:00.000Z', ranAt: null };
    expect(drawStatus(draw, Date.parse('2031-02-28T23:59:59.999Z'))).toBe('upcoming');
    expect(drawStatus(draw, Date.parse('2031-03-01T00:00:00.000Z'))).toBe('open');
    expect(drawStatus(draw, Date.parse('2031-03-07T23:59:59.999Z'))).toBe('open');
    expect(drawStatus(draw, Date.parse('2031-03-08T00:00:00.000Z'))).toBe('closed');
    expect(drawStatus({ ...draw, ranAt: '2031-03-08T01:00:00.000Z' }, Date.parse('2031-03-08T02:00:00.000Z'))).toBe('drawn');
  });
});
