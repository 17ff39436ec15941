/**
 * Rows this isolate holds in memory (touches, code-entry logs) beyond the
 * request that produced them: the cron carries them when no request does, and
 * a graceful stop writes them all before the process ends.
 */
import type { Bindings } from '../env';
import { carryPendingTouches, drainTouches, touchBufferState } from './touch-recorder';
import { carryPendingCodeEntries, codeEntryBufferState, drainCodeEntries } from './code-entry';

/** Starts writing pending rows where no live carrier does; resolves when this carrier stops. */
export async function carryPendingRows(env: Bindings): Promise<void> {
  await Promise.all([carryPendingTouches(env), carryPendingCodeEntries(env)]);
}

export interface FlushResult {
  /** Nothing is pending any more. */
  done: boolean;
  touches: { written: number; pending: number };
  code_entries: { written: number; pending: number };
}

/** Writes every pending row of this isolate (or stops at the timeout) and counts what was written meanwhile. */
export async function flushPendingRows(env: Bindings, timeoutMs: number): Promise<FlushResult> {
  const before = { touches: touchBufferState().written, entries: codeEntryBufferState().written };
  const [touchesDone, entriesDone] = await Promise.all([drainTouches(env, timeoutMs), drainCodeEntries(env, timeoutMs)]);
  const touches = touchBufferState();
  const entries = codeEntryBufferState();
  return {
    done: touchesDone && entriesDone,
    touches: { written: touches.written - before.touches, pending: touches.pending },
    code_entries: { written: entries.written - before.entries, pending: entries.pending },
  };
}
