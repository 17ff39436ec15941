import { describe, expect, it } from 'vitest';
import { WriteBuffer } from '../../src/lib/write-buffer';

describe('WriteBuffer', () => {
  it('writes rows that arrive within one window together, carried by the first caller', async () => {
    const buffer = new WriteBuffer<number>();
    const batches: number[][] = [];
    const write = async (rows: number[]) => {
      batches.push(rows);
    };
    const carriers = [1, 2, 3].map((n) => buffer.add(n, write, 10));
    expect(carriers.slice(1)).toEqual([null, null]);
    await carriers[0];
    await buffer.add(4, write, 10);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('retries a failed write and keeps every row', async () => {
    const buffer = new WriteBuffer<string>();
    let attempts = 0;
    const stored: string[] = [];
    const write = async (rows: string[]) => {
      attempts++;
      if (attempts < 3) throw new Error('D1 busy');
      stored.push(...rows);
    };
    const carrier = buffer.add('a', write, 1);
    buffer.add('b', write, 1);
    await carrier;
    expect(attempts).toBe(3);
    expect(stored).toEqual(['a', 'b']);
  });

  it('rejects the carrier when retries run out', async () => {
    const buffer = new WriteBuffer<string>(1);
    const write = async () => {
      throw new Error('down');
    };
    await expect(buffer.add('a', write, 1)).rejects.toThrow('down');
  });
});
