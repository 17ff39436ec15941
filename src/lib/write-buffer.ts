/**
 * Coalesces rows written after responses: rows that arrive within one window
 * are written together by the request that opened the window. Only that
 * request's waitUntil holds the write (a Worker may not keep a request alive
 * on another request's I/O); later requests just add their rows to it.
 * A failed write is retried; rows are never silently dropped.
 */
export type RowWriter<T> = (rows: T[]) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WriteBuffer<T> {
  private pending: T[] = [];
  private open = false;

  constructor(private readonly retries = 3) {}

  /**
   * Queues `row`. The caller that opens a window gets the promise of the
   * batch's write (pass it to waitUntil); the others get null — their row
   * travels in that batch.
   */
  add(row: T, write: RowWriter<T>, windowMs: number): Promise<void> | null {
    this.pending.push(row);
    if (this.open) return null;
    this.open = true;
    return sleep(windowMs).then(() => this.flush(write));
  }

  private async flush(write: RowWriter<T>): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    this.open = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await write(rows);
        return;
      } catch (error) {
        if (attempt >= this.retries) {
          console.error(`write of ${rows.length} rows failed after ${attempt + 1} attempts`, error);
          throw error;
        }
        await sleep(50 * 2 ** attempt);
      }
    }
  }
}
