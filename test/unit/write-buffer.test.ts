import { describe, expect, it } from 'vitest';
import { WriteBuffer } from '../../src/lib/write-buffer';

describe('WriteBuffer', () => {
  it('writes rows that arrive within one window together', async () => {
    const buffer = new WriteBuffer<number>(10);
    const batches: number[][] = [];
    const write = async (rows: number[]) => {
      batches.push(rows);
    };
    await Promise.all([1, 2, 3].map((n) => buffer.add(n, write)));
    await buffer.add(4, write);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('retries a failed write and keeps every row', async () => {
    const buffer = new WriteBuffer<string>(1);
    let attempts = 0;
    const stored: string[] = [];
    const write = async (rows: string[]) => {
      attempts++;
      if (attempts < 3) throw new Error('D1 busy');
      stored.push(...rows);
    };
    await Promise.all([buffer.add('a', write), buffer.add('b', write)]);
    expect(attempts).toBe(3);
    expect(stored).toEqual(['a', 'b']);
  });

  it('rejects every waiting caller when retries run out', async () => {
    const buffer = new WriteBuffer<string>(1, 1);
    const write = async () => {
      throw new Error('down');
    };
    const results = await Promise.allSettled([buffer.add('a', write), buffer.add('b', write)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
