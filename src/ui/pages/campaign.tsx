/**
 * `/campaigns/:id`: the campaign in sections a marketer can find — links, QR
 * and print, action codes, promo codes, referrals, settings — chosen with
 * `?section=` from a navigation of plain links (keyboard and no-script
 * friendly). Each section renders and reads only what it shows.
 */
import type { LinkFigures } from '../../services/campaign-page';
import type { FieldErrors } from '../forms';
import type { Texts } from '../i18n';
import { Layout } from '../layout';
import { revenueText } from '../report-query';
import { vocabName } from '../texts';
import { Notice } from './confirm';
import { Card, Cell, DataTable, type Figure, FigureCells, figureColumns, KeyCell, PostButton } from './parts';
import { CampaignEditForm, LinkEditForm, LinkForm, RangeForm } from './campaign-forms';
import { BatchesSection, PromosSection } from './campaign-parts';
import { QrSection } from './campaign-qr';
import { ReferralsSection } from './campaign-referrals';
import { campaignPath, kindName, SECTIONS, type CampaignForm, type CampaignView, type Section } from './campaign-view';

export type { CampaignForm, CampaignView, LinkRow, Section } from './campaign-view';

const sectionLabel = (t: Texts, section: Section): string =>
  ({
    links: t.cpSectionLinks,
    qr: t.cpSectionQr,
    codes: t.cpSectionCodes,
    promos: t.cpSectionPromos,
    referrals: t.cpSectionReferrals,
    settings: t.cpSectionSettings,
  })[section];

export function CampaignPage(view: CampaignView) {
  const { t, fmt, campaign } = view;
  const failed = (form: CampaignForm) => (view.failed?.form === form ? view.failed : { values: {}, errors: {} as FieldErrors });
  const active = campaign.status === 'active';
  const writable = view.canWrite && active;
  const part = { t, fmt, csrf: view.csrf, campaignId: campaign.id, canWrite: writable, model: view.model };
  return (
    <Layout
      lang={view.lang}
      t={t}
      title={`${campaign.name} · ${sectionLabel(t, view.section)}`}
      path={`/campaigns/${campaign.id}`}
      csrf={view.csrf}
      admin={view.admin}
    >
      <p>
        <a href="/campaigns">← {t.campaigns}</a>
      </p>
      <h1>{campaign.name}</h1>
      <p class="muted">
        utm_campaign=<code>{campaign.utmCampaign}</code> · {active ? t.active : t.archived} · {fmt.date(campaign.createdAt)}
      </p>
      <Notice text={view.notice} />
      {!active && (
        <div class="notice archived" role="status">
          <p>{t.cpArchivedBanner}</p>
          {view.canWrite && (
            <PostButton action={`/campaigns/${campaign.id}/restore`} csrf={view.csrf} hidden={{ back: 'campaign' }} label={t.cpRestoreCampaign} />
          )}
        </div>
      )}
      <nav class="sections" aria-label={t.cpSections}>
        {SECTIONS.map((section) => (
          <a href={campaignPath(campaign.id, section)} aria-current={section === view.section ? 'page' : undefined}>
            {sectionLabel(t, section)}
          </a>
        ))}
      </nav>
      {view.section === 'links' && (
        <>
          <LinksTable view={view} />
          {writable && view.editing && <LinkEditForm view={view} row={view.editing} {...failed('editLink')} />}
          {writable && <LinkForm view={view} {...failed('link')} />}
        </>
      )}
      {view.section === 'qr' && <QrSection {...part} links={view.links} qr={view.qr} />}
      {view.section === 'codes' && <BatchesSection {...part} batches={view.batches} {...failed('batch')} />}
      {view.section === 'promos' && <PromosSection {...part} promos={view.promos} {...failed('promo')} />}
      {view.section === 'referrals' && <ReferralsSection {...part} archived={!active} referrals={view.referrals} {...failed('referral')} />}
      {view.section === 'settings' && <CampaignEditForm view={view} {...failed('campaign')} />}
    </Layout>
  );
}

function LinksTable(props: { view: CampaignView }) {
  const { view } = props;
  const { t, fmt, campaign } = view;
  const writable = view.canWrite && campaign.status === 'active';
  const figures: Figure<LinkFigures>[] = [
    { metric: 'clicks', label: t.clicks, show: (f) => fmt.num(f.clicks) },
    { metric: 'scans', label: t.scans, show: (f) => fmt.num(f.scans) },
    { metric: 'visitors', label: t.cpVisitors, head: view.uniquesEstimated ? t.uniqueVisitorsEstimated : t.cpVisitors, show: (f) => fmt.num(f.visitors) },
    { metric: 'conversions', label: t.conversions, show: (f) => fmt.num(f.conversions) },
    { metric: 'revenue', label: t.revenue, show: (f) => revenueText(fmt, t, f.revenue) },
  ];
  return (
    <Card id="links" title={t.links}>
      {view.canRead && <RangeForm t={t} action={`/campaigns/${campaign.id}`} section="links" range={view.range} model={view.model} />}
      <DataTable
        class="cards"
        rows={view.links}
        empty={t.noLinks}
        columns={[{ label: t.shortUrl }, { label: t.channel }, ...figureColumns(figures), { label: t.cpActions }]}
        row={(row) => (
          <tr data-link={row.link.id}>
            <KeyCell>
              <a href={`/campaigns/${campaign.id}/links/${row.link.id}`} aria-label={`${t.cpLinkPage}: ${row.shortUrl}`}>
                <code data-short-url>{row.shortUrl}</code>
              </a>
              <div class="muted">
                {[row.link.label, kindName(t, row.link.kind), row.link.status === 'archived' ? t.archived : null].filter(Boolean).join(' · ')}
              </div>
            </KeyCell>
            <Cell label={t.channel}>{vocabName(t, 'channel', row.link.channel)}</Cell>
            <FigureCells figures={figures} of={row.figures} />
            <Cell label={t.cpActions} class="row-actions">
              <a href={`/campaigns/${campaign.id}/links/${row.link.id}`}>{t.cpLinkPage}</a>{' '}
              <a href={`${campaignPath(campaign.id, 'qr', { link: row.link.id })}#qr`} aria-label={`${t.qrCode}: ${row.shortUrl}`}>
                {t.qrCode}
              </a>{' '}
              {writable && (
                <a href={`${campaignPath(campaign.id, 'links', { edit: row.link.id })}#edit-link`} aria-label={`${t.edit}: ${row.shortUrl}`}>
                  {t.edit}
                </a>
              )}
            </Cell>
          </tr>
        )}
      />
      {!view.canRead && <p class="muted">{t.cpNeedsReports}</p>}
    </Card>
  );
}
