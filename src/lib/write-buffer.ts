/**
 * Coalesces rows written after responses: rows that arrive within one
 * window are written together, and every caller's promise settles when its
 * row is stored. A failed write is retried; rows are never silently dropped.
 */
export type RowWriter<T> = (rows: T[]) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WriteBuffer<T> {
  private pending: T[] = [];
  private scheduled: Promise<void> | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly retries = 3,
  ) {}

  /** Queues `row`; resolves once the batch holding it is written by `write`. */
  add(row: T, write: RowWriter<T>): Promise<void> {
    this.pending.push(row);
    this.scheduled ??= sleep(this.windowMs).then(() => this.flush(write));
    return this.scheduled;
  }

  private async flush(write: RowWriter<T>): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    this.scheduled = null;
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
