/**
 * `/campaigns/:id`: the campaign in sections a marketer can find — links, QR
 * and print, action codes, promo codes, referrals, settings — chosen with
 * `?section=` from a navigation of plain links (keyboard and no-script
 * friendly). Each section renders and reads only what it shows.
 */
import type { LinkFigures } from '../../services/campaign-page';
import type { FieldErrors } from '../forms';
import type { Texts } from '../i18n';
import { Csrf, Layout } from '../layout';
import { revenueText } from '../report-query';
import { vocabName } from '../texts';
import { Notice } from './confirm';
import { CampaignEditForm, LinkEditForm, LinkForm, RangeForm } from './campaign-forms';
import { BatchesSection, PromosSection } from './campaign-parts';
import { QrSection } from './campaign-qr';
import { ReferralsSection } from './campaign-referrals';
import { campaignPath, kindName, SECTIONS, type CampaignForm, type CampaignView, type LinkRow, type Section } from './campaign-view';

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
            <form class="inline" method="post" action={`/campaigns/${campaign.id}/restore`}>
              <Csrf token={view.csrf} />
              <input type="hidden" name="back" value="campaign" />
              <button type="submit" class="secondary">
                {t.cpRestoreCampaign}
              </button>
            </form>
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
  const figure = (row: LinkRow, pick: (figures: LinkFigures) => string) => (row.figures ? pick(row.figures) : '–');
  return (
    <section class="card" id="links" aria-labelledby="links-title">
      <h2 id="links-title">{t.links}</h2>
      {view.canRead && <RangeForm t={t} action={`/campaigns/${campaign.id}`} section="links" range={view.range} model={view.model} />}
      {view.links.length === 0 ? (
        <p class="empty">{t.noLinks}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t.shortUrl}</th>
                <th scope="col">{t.channel}</th>
                <th scope="col" class="num">
                  {t.clicks}
                </th>
                <th scope="col" class="num">
                  {t.scans}
                </th>
                <th scope="col" class="num">
                  {view.uniquesEstimated ? t.uniqueVisitorsEstimated : t.cpVisitors}
                </th>
                <th scope="col" class="num">
                  {t.conversions}
                </th>
                <th scope="col" class="num">
                  {t.revenue}
                </th>
                <th scope="col">{t.cpActions}</th>
              </tr>
            </thead>
            <tbody>
              {view.links.map((row) => (
                <tr data-link={row.link.id}>
                  <th scope="row" class="key">
                    <a href={`/campaigns/${campaign.id}/links/${row.link.id}`} aria-label={`${t.cpLinkPage}: ${row.shortUrl}`}>
                      <code data-short-url>{row.shortUrl}</code>
                    </a>
                    <div class="muted">
                      {[row.link.label, kindName(t, row.link.kind), row.link.status === 'archived' ? t.archived : null].filter(Boolean).join(' · ')}
                    </div>
                  </th>
                  <td data-label={t.channel}>{vocabName(t, 'channel', row.link.channel)}</td>
                  <td class="num" data-label={t.clicks} data-metric="clicks">
                    {figure(row, (f) => fmt.num(f.clicks))}
                  </td>
                  <td class="num" data-label={t.scans} data-metric="scans">
                    {figure(row, (f) => fmt.num(f.scans))}
                  </td>
                  <td class="num" data-label={t.cpVisitors} data-metric="visitors">
                    {figure(row, (f) => fmt.num(f.visitors))}
                  </td>
                  <td class="num" data-label={t.conversions} data-metric="conversions">
                    {figure(row, (f) => fmt.num(f.conversions))}
                  </td>
                  <td class="num" data-label={t.revenue} data-metric="revenue">
                    {figure(row, (f) => revenueText(fmt, t, f.revenue))}
                  </td>
                  <td data-label={t.cpActions} class="row-actions">
                    <a href={`/campaigns/${campaign.id}/links/${row.link.id}`}>{t.cpLinkPage}</a>{' '}
                    <a href={`${campaignPath(campaign.id, 'qr', { link: row.link.id })}#qr`} aria-label={`${t.qrCode}: ${row.shortUrl}`}>
                      {t.qrCode}
                    </a>{' '}
                    {writable && (
                      <a href={`${campaignPath(campaign.id, 'links', { edit: row.link.id })}#edit-link`} aria-label={`${t.edit}: ${row.shortUrl}`}>
                        {t.edit}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!view.canRead && <p class="muted">{t.cpNeedsReports}</p>}
    </section>
  );
}
