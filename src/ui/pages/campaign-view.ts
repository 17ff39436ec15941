/** The campaign page's view model, its sections and paths (shared by the page and its parts). */
import type { Campaign } from '../../db/campaigns';
import type { LinkWithCampaign } from '../../db/links';
import type { AttributionModel } from '../../domain/vocab';
import type { BatchRow, LinkFigures, PromoRow } from '../../services/campaign-page';
import type { FieldErrors, FormValues } from '../forms';
import type { Texts } from '../i18n';
import type { PageView } from './parts';
import type { Cell } from './table';

export interface QrOptions {
  size: number;
  ecc: string;
  fg: string;
  bg: string;
}

export interface ReferralsView {
  /** Last 30 days of the campaign's referrers; null when the session may not read reports. */
  report: { rows: Array<Record<string, Cell>>; kFactor: number; csv: string } | null;
  /** The link just created or looked up (`?referral=<code>`). */
  created: { code: string; url: string } | null;
}

export const SECTIONS = ['links', 'qr', 'codes', 'promos', 'referrals', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export interface LinkRow {
  link: LinkWithCampaign;
  shortUrl: string;
  trackedUrl: string;
  /** Null when the session may not read reports. */
  figures: LinkFigures | null;
}

export interface CampaignView extends PageView {
  canWrite: boolean;
  canRead: boolean;
  campaign: Campaign;
  section: Section;
  notice: string | null;
  range: { from: string; to: string };
  model: AttributionModel;
  uniquesEstimated: boolean;
  links: LinkRow[];
  /** Hostnames of the branded domains the new-link form offers (links section, links:write sessions). */
  domains: string[];
  batches: BatchRow[];
  promos: PromoRow[];
  referrals: ReferralsView | null;
  qr: { link: LinkRow; options: QrOptions } | null;
  /** The link whose edit form is open (`?edit=<link id>`). */
  editing: LinkRow | null;
  /** The form that failed, with what was typed and the errors per field. */
  failed?: { form: CampaignForm; values: FormValues; errors: FieldErrors };
}

export type CampaignForm = 'link' | 'batch' | 'promo' | 'campaign' | 'editLink' | 'referral';

export const campaignPath = (id: string, section: Section, extra: Record<string, string> = {}): string =>
  `/campaigns/${id}?${new URLSearchParams({ section, ...extra })}`;

export const kindName = (t: Texts, kind: string): string => (t as Record<string, string>)[`cpKind_${kind}`] ?? kind;
