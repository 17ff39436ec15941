import { describe, expect, it } from 'vitest';
import { WriteBuffer, type BufferSink } from '../../src/lib/write-buffer';

const FAST = { backoffMs: 2, backoffCapMs: 10, graceMs: 20 };
const settings = (maxRows = 1000, windowMs = 5) => ({ windowMs, maxRows });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** A D1 stand-in: fails while `down`, stores every row it is given (duplicates too, so a test can see them). */
function flakyStore<T>() {
  const store = { down: false, attempts: 0, rows: [] as T[] };
  const sink: BufferSink<T> = {
    write: async (rows) => {
      store.attempts++;
      if (store.down) throw new Error('D1_ERROR: database is locked');
      store.rows.push(...rows);
    },
  };
  return { store, sink };
}

describe('WriteBuffer', () => {
  it('writes rows that arrive within one window together, carried by the first caller', async () => {
    const buffer = new WriteBuffer<number>('test', FAST);
    const batches: number[][] = [];
    const sink: BufferSink<number> = { write: async (rows) => void batches.push(rows) };
    const carriers = [1, 2, 3].map((n) => buffer.add(n, sink, settings()));
    expect(carriers.slice(1)).toEqual([null, null]);
    await carriers[0];
    await buffer.add(4, sink, settings());
    expect(batches).toEqual([[1, 2, 3], [4]]);
    expect(buffer.state()).toEqual({ pending: 0, written: 4, failedWrites: 0, carrying: false });
  });

  it('keeps retrying while the writer fails and writes every row exactly once when it recovers', async () => {
    const buffer = new WriteBuffer<number>('test', FAST);
    const { store, sink } = flakyStore<number>();
    store.down = true;
    const carriers: Promise<void>[] = [];
    for (let n = 0; n < 200; n++) {
      const work = buffer.add(n, sink, settings());
      if (work) carriers.push(work);
      if (n % 20 === 0) await sleep(5);
    }
    // Retries go on while the store is down, however slow the machine: wait for a few rather than for a fixed time.
    while (store.attempts <= 3) await sleep(5);
    expect(buffer.size).toBe(200);
    store.down = false;
    await Promise.all(carriers);
    expect(carriers).toHaveLength(1);
    expect(store.rows.sort((a, b) => a - b)).toEqual([...Array(200).keys()]);
    expect(buffer.state()).toMatchObject({ pending: 0, written: 200 });
  });

  it('holds at most maxRows: hasRoom turns false at the bound (the redirect then answers 503), and frees up once written', async () => {
    const buffer = new WriteBuffer<number>('test', FAST);
    const { store, sink } = flakyStore<number>();
    store.down = true;
    const carrier = buffer.add(1, sink, settings(3));
    buffer.add(2, sink, settings(3));
    expect(buffer.hasRoom(3)).toBe(true);
    buffer.add(3, sink, settings(3));
    expect(buffer.hasRoom(3)).toBe(false);
    await sleep(30);
    expect(buffer.hasRoom(3)).toBe(false);
    store.down = false;
    await carrier;
    expect(buffer.hasRoom(3)).toBe(true);
    expect(store.rows.sort()).toEqual([1, 2, 3]);
  });

  it('does not let a carrier that never finishes block later rows: past its deadline the next row carries, and the stuck rows are written again', async () => {
    const buffer = new WriteBuffer<string>('test', { ...FAST, stallMs: 30 });
    const stuck: BufferSink<string> = { write: never };
    expect(buffer.add('a', stuck, settings())).not.toBeNull();
    await sleep(10);
    const { store, sink } = flakyStore<string>();
    expect(buffer.add('b', sink, settings())).toBeNull();
    await sleep(40);
    const carrier = buffer.add('c', sink, settings());
    expect(carrier).not.toBeNull();
    await carrier;
    expect(store.rows.sort()).toEqual(['a', 'b', 'c']);
    expect(buffer.size).toBe(0);
  });

  it('sends rows beyond the bound to the overflow sink (the queue) while D1 fails, and what is left when a carrier runs out of time', async () => {
    const buffer = new WriteBuffer<number>('test', { ...FAST, carryMs: 60 });
    const { store, sink } = flakyStore<number>();
    store.down = true;
    const queued: number[] = [];
    const withQueue: BufferSink<number> = { ...sink, overflow: async (rows) => void queued.push(...rows) };
    const carrier = buffer.add(1, withQueue, settings(3));
    for (let n = 2; n <= 5; n++) buffer.add(n, withQueue, settings(3));
    await sleep(5);
    expect(buffer.size).toBe(3);
    expect(queued).toEqual([4, 5]);
    await carrier;
    expect(buffer.size).toBe(0);
    expect(queued.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(store.rows).toEqual([]);
  });

  it('keeps a row whose overflow failed', async () => {
    const buffer = new WriteBuffer<number>('test', FAST);
    const stored: number[] = [];
    const brokenQueue: BufferSink<number> = { write: async (rows) => void stored.push(...rows), overflow: () => Promise.reject(new Error('queue down')) };
    await buffer.add(1, brokenQueue, settings(0));
    expect(stored).toEqual([1]);
    expect(buffer.size).toBe(0);
  });

  it('drains: waits for a live carrier by polling, and answers false at its timeout while the writer still fails', async () => {
    const buffer = new WriteBuffer<number>('test', FAST);
    const { store, sink } = flakyStore<number>();
    buffer.add(1, sink, settings(1000, 50));
    expect(await buffer.drain(sink, 1000)).toBe(true);
    expect(store.rows).toEqual([1]);

    store.down = true;
    buffer.add(2, sink, settings(1000, 0));
    expect(await buffer.drain(sink, 50)).toBe(false);
    expect(buffer.size).toBe(1);
    store.down = false;
    expect(await buffer.drain(sink, 1000)).toBe(true);
    expect(store.rows).toEqual([1, 2]);
  });
});
