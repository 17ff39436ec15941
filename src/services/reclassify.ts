/**
 * Re-applies the current bot, scanner and image-proxy rules to stored touches
 * and opens, so counts can be corrected after the rule lists grow.
 */
import type { Db } from '../db/client';
import { touchDbs } from '../db/shards';
import { pageOfClassifications, ridsInRange, writeClassifications, type NewClassification, type StoredClassification } from '../db/reclassify';
import { flagScannerBursts } from '../db/touches';
import { describeAgent } from '../domain/agents';
import { machineOpenReason, SCANNER_BURST } from '../domain/email';

const PAGE = 500;

/** Reasons that no user agent rule can give or take away. */
const STICKY = new Set(['head_request']);

/** A touch's classification under the current rules, or null where no rule applies (no agent, a sticky reason). */
export function classifyTouch(stored: StoredClassification): NewClassification | null {
  if (stored.userAgent === null || (stored.reason && STICKY.has(stored.reason))) return null;
  const agent = describeAgent(stored.userAgent);
  // A burst is judged from timing, not the agent: it stays unless the agent itself now marks a bot.
  if (stored.reason === 'scanner_burst' && !agent.isBot) return null;
  return { id: stored.id, isBot: agent.isBot, reason: agent.botReason, deviceClass: agent.deviceClass };
}

function classifyOpen(stored: StoredClassification): NewClassification | null {
  if (stored.userAgent === null || (stored.reason && STICKY.has(stored.reason))) return null;
  const reason = machineOpenReason(stored.userAgent);
  return { id: stored.id, isBot: reason !== null, reason, deviceClass: reason ? 'bot' : describeAgent(stored.userAgent).deviceClass };
}

export const differs = (stored: StoredClassification, next: NewClassification) =>
  stored.isBot !== next.isBot || stored.reason !== next.reason || stored.deviceClass !== next.deviceClass;

async function sweep(
  db: Db,
  table: 'touches' | 'email_opens',
  range: { from: string; to: string },
  classify: (stored: StoredClassification) => NewClassification | null,
): Promise<{ checked: number; changed: number }> {
  let checked = 0;
  let changed = 0;
  let afterId = '';
  for (;;) {
    const page = await pageOfClassifications(db, table, range, afterId, PAGE);
    if (page.length === 0) break;
    checked += page.length;
    const changes = page.flatMap((stored) => {
      const next = classify(stored);
      return next && differs(stored, next) ? [next] : [];
    });
    await writeClassifications(db, table, changes);
    changed += changes.length;
    afterId = page[page.length - 1].id;
  }
  return { checked, changed };
}

export interface ReclassifyResult {
  touches_checked: number;
  touches_changed: number;
  scanner_bursts_flagged: number;
  opens_checked: number;
  opens_changed: number;
}

/** Reclassifies the events of [from, to) (ISO strings). */
export async function reclassifyEvents(db: Db, range: { from: string; to: string }): Promise<ReclassifyResult> {
  // Every touch shard in turn; a recipient's burst is looked for among the touches of each shard (see docs/DESIGN.md).
  const touches = { checked: 0, changed: 0 };
  let bursts = 0;
  for (const shard of touchDbs(db)) {
    const swept = await sweep(shard, 'touches', range, classifyTouch);
    touches.checked += swept.checked;
    touches.changed += swept.changed;
    const rids = await ridsInRange(shard, range);
    for (let i = 0; i < rids.length; i += PAGE) {
      const flagged = await flagScannerBursts(shard, rids.slice(i, i + PAGE), SCANNER_BURST.seconds, SCANNER_BURST.links).all();
      bursts += flagged.results.length;
    }
  }
  const opens = await sweep(db, 'email_opens', range, classifyOpen);
  return {
    touches_checked: touches.checked,
    touches_changed: touches.changed,
    scanner_bursts_flagged: bursts,
    opens_checked: opens.checked,
    opens_changed: opens.changed,
  };
}
