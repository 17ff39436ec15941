/** Query parameters shared by the campaign and link pages: the period (picked days) and the notice after an action. */
import type { Context } from 'hono';
import { utcDays } from '../lib/time';
import type { UiEnv } from './context';
import type { Texts } from './i18n';
import { pageRange as reportPageRange } from './report-query';

/** `?from=&to=` as days (the date pickers' values); a missing, malformed or impossible period falls back to the last 30 days. */
export function pageRange(c: Context<UiEnv>): { from: string; to: string } {
  const { from, to } = reportPageRange(c.req.query(), c.var.now());
  return { from, to };
}

/** Every UTC day of a period, for a chart's x axis. */
export const daysOf = (range: { from: string; to: string }): string[] => utcDays(range.from, range.to);

const NOTICES = {
  archived: 'cpNoticeArchived',
  restored: 'cpNoticeRestored',
  'link-archived': 'cpNoticeLinkArchived',
  'link-restored': 'cpNoticeLinkRestored',
  revoked: 'cpNoticeRevoked',
  saved: 'saved',
  created: 'cpNoticeCreated',
  'domain-added': 'domainAdded',
  'domain-removed': 'domainRemoved',
} as const satisfies Record<string, keyof Texts>;
export type NoticeCode = keyof typeof NOTICES;

/** The text of `?notice=<code>` (a known code only: nothing from the address is shown as it is), or null. */
export function noticeOf(c: Context<UiEnv>): string | null {
  const code = c.req.query('notice') ?? '';
  return Object.hasOwn(NOTICES, code) ? c.var.t[NOTICES[code as NoticeCode]] : null;
}

/** `path` with `?notice=<code>` added. */
export const withNotice = (path: string, code: NoticeCode): string => `${path}${path.includes('?') ? '&' : '?'}notice=${code}`;
