/** Runs the Worker's minute cron at a fixed time under binding overrides, waiting for its work (tests of the archive). */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';

/** Runs the minute cron at `now` under `overrides`. */
export async function runCron(overrides: Partial<Bindings>, now: number): Promise<void> {
  vi.useFakeTimers({ now, toFake: ['Date'] });
  try {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now }), { ...(env as Bindings), ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
  } finally {
    vi.useRealTimers();
  }
}
