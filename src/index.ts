/** The Worker's entry: HTTP, and the touch queue's consumer when a queue is bound. */
import { createApp } from './app';
import type { NewTouch } from './db/schema';
import type { Bindings } from './env';
import { writeTouches } from './lib/touch-recorder';
import { createDb } from './db/client';
import { deleteExpiredEvents } from './db/retention';
import { deleteExpiredEndedSessions } from './db/sessions';
import { deleteOldAuthFailures } from './db/auth-failures';
import { MAX_WINDOW_SECONDS } from './domain/rate-limit';
import { toIso } from './lib/time';
import { resumeStalledMinting } from './services/mint-codes';
import { rebuildStaleSketches } from './services/visitor-sketches';
import { reattributeQueued } from './services/late-touches';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<NewTouch>, env: Bindings): Promise<void> {
    await writeTouches({ ...env, TOUCH_QUEUE: undefined }, batch.messages.map((message) => message.body));
  },
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(resumeStalledMinting(env));
    ctx.waitUntil(reattributeQueued(createDb(env.DB), env, Date.now()).then(() => undefined));
    ctx.waitUntil(rebuildStaleSketches(createDb(env.DB), Date.now()).then(() => undefined));
    ctx.waitUntil(deleteExpiredEndedSessions(createDb(env.DB), toIso(Date.now())).then(() => undefined));
    ctx.waitUntil(deleteOldAuthFailures(createDb(env.DB), toIso(Date.now() - MAX_WINDOW_SECONDS * 1000)).then(() => undefined));
    const retentionDays = Number(env.RETENTION_DAYS ?? 0);
    if (retentionDays > 0) ctx.waitUntil(deleteExpiredEvents(createDb(env.DB), toIso(Date.now() - retentionDays * 86_400_000)).then(() => undefined));
  },
} satisfies ExportedHandler<Bindings, NewTouch>;
