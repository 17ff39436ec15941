/**
 * Coalesces rows written after responses, and keeps them until they are
 * stored. Rows that arrive within one window are written together by one
 * request, the carrier; a Worker may not keep a request alive on another
 * request's I/O, so only the carrier's waitUntil holds the write and later
 * requests just add their rows.
 *
 * Nothing here depends on one request finishing. The buffer holds plain data
 * only: the rows, and the carrier's deadline (a timestamp the carrier moves
 * forward as it works). When the deadline has passed, the carrier is taken
 * for dead (cancelled, or stuck on a write) and whichever request next adds a
 * row — or the cron, or the flush endpoint — carries instead; the rows the
 * dead carrier was writing go back to pending and are written again (rows
 * have unique ids and are inserted OR IGNORE, so a second write is harmless).
 *
 * A failed write puts its rows back and is retried with capped backoff for as
 * long as rows are pending. The buffer is bounded by `maxRows`: beyond it
 * rows go to the overflow sink (the queue) when there is one; without one the
 * caller must not acknowledge what it cannot keep (`hasRoom`).
 */

/** Where a buffer's rows go; built by the carrying request from its own bindings. */
export interface BufferSink<T> {
  /** Stores rows (D1); throws when it could not. */
  write(rows: T[]): Promise<void>;
  /** Takes rows beyond the bound, or left over when a carrier's time is up (the queue); absent: they wait in memory. */
  overflow?(rows: T[]): Promise<void>;
}

export interface BufferSettings {
  /** Milliseconds rows are gathered before the first write of a carrier. */
  windowMs: number;
  /** Rows this isolate holds at most (pending and being written). */
  maxRows: number;
}

export interface BufferTimings {
  /** A write running longer than this presumes its carrier dead. */
  stallMs: number;
  /** Slack on a sleeping carrier's deadline (timers run late under load). */
  graceMs: number;
  /** How long one carrier works before it hands over (Cloudflare keeps waitUntil 30 s after the response). */
  carryMs: number;
  /** First retry delay; doubles per failed write up to backoffCapMs. */
  backoffMs: number;
  backoffCapMs: number;
  /** Rows per write: after an outage the backlog goes in slices of a normal batch, so that the write (which a local D1
   * runs on the Worker's own thread) never holds up the redirects for long. */
  chunkRows: number;
}

export const DEFAULT_TIMINGS: BufferTimings = {
  stallMs: 10_000,
  graceMs: 1_000,
  carryMs: 20_000,
  backoffMs: 100,
  backoffCapMs: 2_000,
  chunkRows: 250,
};

/** What a buffer holds and has written, for the flush endpoint and logs. */
export interface BufferState {
  pending: number;
  written: number;
  failedWrites: number;
  carrying: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WriteBuffer<T> {
  private pending: T[] = [];
  /** Batches taken by a carrier and not yet stored; a dead carrier's go back to pending. */
  private readonly inFlight = new Set<T[]>();
  private carrier: { token: number; deadline: number } | null = null;
  private tokens = 0;
  private failures = 0;
  private written = 0;
  private failedWrites = 0;
  private readonly timings: BufferTimings;

  constructor(
    private readonly name: string,
    timings: Partial<BufferTimings> = {},
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
  }

  /** Rows held: pending and being written. */
  get size(): number {
    let size = this.pending.length;
    for (const rows of this.inFlight) size += rows.length;
    return size;
  }

  /** Whether another row fits under the bound. */
  hasRoom(maxRows: number): boolean {
    return this.size < maxRows;
  }

  state(now = Date.now()): BufferState {
    return { pending: this.size, written: this.written, failedWrites: this.failedWrites, carrying: this.liveCarrier(now) };
  }

  /**
   * Adds `row`. Returns the work this request must keep alive (pass it to
   * waitUntil) when it becomes the carrier or sends the row to the overflow
   * sink itself; null when a live carrier will take the row.
   */
  add(row: T, sink: BufferSink<T>, settings: BufferSettings): Promise<void> | null {
    if (sink.overflow && this.size >= settings.maxRows) return this.overflowOwn(row, sink, settings);
    this.pending.push(row);
    return this.carry(sink, settings);
  }

  /** Starts carrying the pending rows unless a live carrier exists; the promise ends when this carrier stops. */
  carry(sink: BufferSink<T>, settings: BufferSettings, now = Date.now()): Promise<void> | null {
    if (this.liveCarrier(now)) return null;
    for (const rows of this.inFlight) this.pending = this.pending.concat(rows);
    this.inFlight.clear();
    if (this.pending.length === 0) return null;
    const token = ++this.tokens;
    this.carrier = { token, deadline: now + settings.windowMs + this.timings.graceMs };
    return this.run(token, sink, settings, now);
  }

  /** Writes every pending row, carrying when nobody else does; resolves true once nothing is pending, false at the deadline. */
  async drain(sink: BufferSink<T>, timeoutMs: number, pollMs = 25): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.size > 0) {
      if (Date.now() >= until) return false;
      // Our own carrying work is awaited here; another request's never is: we poll the plain state.
      const work = this.carry(sink, { windowMs: 0, maxRows: Number.POSITIVE_INFINITY });
      if (work) await work;
      else await sleep(pollMs);
    }
    return true;
  }

  private liveCarrier(now: number): boolean {
    return this.carrier !== null && this.carrier.deadline > now;
  }

  private owns(token: number): boolean {
    return this.carrier?.token === token;
  }

  private setDeadline(token: number, deadline: number): void {
    if (this.carrier?.token === token) this.carrier.deadline = deadline;
  }

  private async run(token: number, sink: BufferSink<T>, settings: BufferSettings, started: number): Promise<void> {
    const { stallMs, graceMs, carryMs, chunkRows } = this.timings;
    if (settings.windowMs > 0) await sleep(settings.windowMs);
    while (this.owns(token) && this.pending.length > 0) {
      if (Date.now() - started > carryMs) {
        // Time is up for this request: leave the rest to the queue, or to the next request or cron run.
        if (sink.overflow) await this.spill(token, sink, this.pending.length);
        break;
      }
      const rows = this.pending.length > chunkRows ? this.pending.splice(0, chunkRows) : this.pending;
      if (rows === this.pending) this.pending = [];
      this.inFlight.add(rows);
      this.setDeadline(token, Date.now() + stallMs);
      try {
        await sink.write(rows);
        if (this.inFlight.delete(rows)) this.written += rows.length;
        if (this.failures > 0) console.warn(`${this.name}: writing again after ${this.failures} failed writes`);
        this.failures = 0;
      } catch (error) {
        // Back to pending, unless a new carrier has already reclaimed them.
        if (this.inFlight.delete(rows)) this.pending = this.pending.concat(rows);
        if (!this.owns(token)) return;
        this.failures++;
        this.failedWrites++;
        if (this.failures === 1) console.error(`${this.name}: write of ${rows.length} rows failed; keeping ${this.size} rows and retrying`, error);
        const excess = this.size - settings.maxRows;
        if (sink.overflow && excess > 0) await this.spill(token, sink, excess);
        const delay = Math.min(this.timings.backoffMs * 2 ** (this.failures - 1), this.timings.backoffCapMs);
        this.setDeadline(token, Date.now() + delay + graceMs);
        await sleep(delay);
      }
    }
    if (this.owns(token)) this.carrier = null;
  }

  /** Hands `count` pending rows to the overflow sink; they come back when it fails. */
  private async spill(token: number, sink: BufferSink<T>, count: number): Promise<void> {
    const rows = this.pending.splice(0, count);
    if (rows.length === 0 || !sink.overflow) return;
    this.inFlight.add(rows);
    this.setDeadline(token, Date.now() + this.timings.stallMs);
    try {
      await sink.overflow(rows);
      if (this.inFlight.delete(rows)) this.written += rows.length;
    } catch (error) {
      if (this.inFlight.delete(rows)) this.pending = this.pending.concat(rows);
      console.error(`${this.name}: overflow of ${rows.length} rows failed; keeping them`, error);
    }
  }

  /** A full buffer with an overflow sink: this request sends its own row there (kept in memory if that fails). */
  private async overflowOwn(row: T, sink: BufferSink<T>, settings: BufferSettings): Promise<void> {
    try {
      await sink.overflow!([row]);
      this.written++;
    } catch (error) {
      console.error(`${this.name}: overflow of 1 row failed; keeping it`, error);
      this.pending.push(row);
      await this.carry(sink, settings);
    }
  }
}
