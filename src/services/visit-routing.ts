/**
 * The routing of one redirect (issue 16): whether a capped link's visit comes after its cap (one atomic count
 * on the main database, for capped links only), and which rule, variant and tracked URL the visit gets.
 */
import type { Db } from '../db/client';
import { countCappedClick } from '../db/link-routing';
import { describeAgent } from '../domain/agents';
import { routeVisit, type RoutedVisit } from '../domain/link-routing';
import type { RedirectTarget } from '../domain/redirect';
import type { RequestFacts } from './touch-recorder';

/**
 * Whether this visit of a capped link comes after its cap: a human visit takes the next place (so of 50 visits
 * at once to a cap of 20, exactly 20 get through); a bot's visit takes none and is after the cap once it is full.
 */
export async function passesCap(db: Db, target: RedirectTarget, userAgent: string, method: string): Promise<boolean> {
  const maxClicks = target.routing!.maxClicks!;
  const add = describeAgent(userAgent, method).isBot ? 0 : 1;
  return (await countCappedClick(db, target.linkId, add)) - add < maxClicks;
}

/** Where a visit goes: the fallback after the cap or expiry; else the first matching rule's (or the link's) destination or variant. */
export function routeOfVisit(
  target: RedirectTarget,
  afterCap: boolean,
  facts: RequestFacts,
  acceptLanguage: string | null,
  search: URLSearchParams | null,
  visitorKey: string,
  now: number,
): RoutedVisit {
  const routing = target.routing;
  if (!routing) return { url: target.trackedUrl, rule: null, variant: null };
  // After the cap: the fallback, or (none: the visit answers 410) the default destination, which is never sent.
  if (afterCap) return { url: routing.fallbackUrl ?? target.trackedUrl, rule: null, variant: null };
  const agent = () => describeAgent(facts.userAgent, facts.method);
  return routeVisit(routing, target.trackedUrl, { now, agent, acceptLanguage, country: facts.country, search }, visitorKey, target.linkId);
}
