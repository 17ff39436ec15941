/**
 * `/campaigns/:id/links/:linkId`: one link — its short URL and QR code, its
 * figures over a period, visits and conversions per day, channels × devices,
 * countries, referring sites, and the conversions credited to it.
 */
import type { Campaign } from '../../db/campaigns';
import type { AttributionModel } from '../../domain/vocab';
import type { LinkReport } from '../../services/campaign-page';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf, Layout } from '../layout';
import { revenueText } from '../report-query';
import { fill, vocabName } from '../texts';
import { RangeForm } from './campaign-forms';
import { campaignPath, kindName, type LinkRow } from './campaign-view';
import { Legend, LineChart, type Series } from './chart';
import { Notice } from './confirm';

export interface LinkPageView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
  canWrite: boolean;
  campaign: Campaign;
  row: LinkRow;
  notice: string | null;
  range: { from: string; to: string };
  model: AttributionModel;
  /** Null when the session may not read reports. */
  report: LinkReport | null;
  chart: { days: string[]; visits: Series[]; conversions: Series[]; colours: Map<string, number> } | null;
}

export function LinkPage(view: LinkPageView) {
  const { t, fmt, campaign, row } = view;
  const { link } = row;
  const base = `/campaigns/${campaign.id}/links/${link.id}`;
  const writable = view.canWrite && campaign.status === 'active';
  const report = view.report;
  return (
    <Layout lang={view.lang} t={t} title={fill(t.cpLinkDetails, { link: row.shortUrl })} path={base} csrf={view.csrf} admin={view.admin} charts={!!report}>
      <p>
        <a href={campaignPath(campaign.id, 'links')}>← {campaign.name}</a>
      </p>
      <h1>
        <code data-short-url>{row.shortUrl}</code>
      </h1>
      <p class="muted">
        {[link.label, vocabName(t, 'channel', link.channel), kindName(t, link.kind), link.status === 'active' ? t.active : t.archived]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <Notice text={view.notice} />
      {link.status === 'archived' && (
        <div class="notice archived" role="status">
          <p>{t.cpArchivedLinkBanner}</p>
        </div>
      )}
      <section class="card link-head" aria-labelledby="link-head-title">
        <h2 id="link-head-title" class="visually-hidden">
          {t.shortUrl}
        </h2>
        <div class="qr">
          <img src={`/links/${link.id}/qr?format=png&size=256`} alt={`${t.qrCode} ${row.shortUrl}?qr=1`} width={256} height={256} id="link-qr" />
          <div>
            <dl class="facts">
              <dt>{t.cpTrackedUrl}</dt>
              <dd>
                <code>{row.trackedUrl}</code>
              </dd>
              {link.expiresAt && (
                <>
                  <dt>{t.cpExpiresAt}</dt>
                  <dd>{fmt.date(link.expiresAt)}</dd>
                </>
              )}
            </dl>
            <p class="actions">
              <a href={`${campaignPath(campaign.id, 'qr', { link: link.id })}#qr`}>{t.cpOpenQr}</a>
              {writable && <a href={`${campaignPath(campaign.id, 'links', { edit: link.id })}#edit-link`}>{t.edit}</a>}
              {writable && link.status === 'active' && (
                <a class="button secondary" href={`${base}/archive`}>
                  {t.cpArchiveLink}
                </a>
              )}
            </p>
          </div>
        </div>
        {writable && link.status === 'archived' && (
          <form class="inline" method="post" action={`${base}/restore`}>
            <Csrf token={view.csrf} />
            <input type="hidden" name="back" value="link" />
            <button type="submit" class="secondary">
              {t.restoreLink}
            </button>
          </form>
        )}
      </section>
      {report ? <LinkFigures view={view} report={report} /> : <p class="muted">{t.cpNeedsReports}</p>}
    </Layout>
  );
}

function LinkFigures(props: { view: LinkPageView; report: LinkReport }) {
  const { view, report } = props;
  const { t, fmt, campaign, row } = view;
  const figures = report.figures;
  const stat = (label: string, value: string, metric: string) => (
    <div class="stat" data-metric={metric}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  const chart = view.chart;
  const hasChart = !!chart && [...chart.visits, ...chart.conversions].some((s) => s.values.some((v) => v > 0));
  return (
    <>
      <section class="card" id="figures" aria-labelledby="figures-title">
        <h2 id="figures-title">{t.cpRange}</h2>
        <RangeForm t={t} action={`/campaigns/${campaign.id}/links/${row.link.id}`} range={view.range} model={view.model} />
        <dl class="stats">
          {stat(t.visits, fmt.num(figures.visits), 'visits')}
          {stat(t.clicks, fmt.num(figures.clicks), 'clicks')}
          {stat(t.scans, fmt.num(figures.scans), 'scans')}
          {stat(report.estimated ? t.uniqueVisitorsEstimated : t.cpVisitors, fmt.num(figures.visitors), 'visitors')}
          {stat(t.conversions, fmt.num(figures.conversions), 'conversions')}
          {stat(t.revenue, revenueText(fmt, t, figures.revenue), 'revenue')}
        </dl>
      </section>
      <section class="card" id="over-time" aria-labelledby="over-time-title">
        <h2 id="over-time-title">{t.cpOverTime}</h2>
        {chart && hasChart ? (
          <>
            <h3 class="muted">{t.visits}</h3>
            <LineChart title={t.visits} days={chart.days} series={chart.visits} colours={chart.colours} fmt={fmt} />
            <h3 class="muted">{t.conversions}</h3>
            <LineChart title={t.conversions} days={chart.days} series={chart.conversions} colours={chart.colours} fmt={fmt} dashed />
            <Legend colours={chart.colours} />
          </>
        ) : (
          <p class="empty">{t.cpNoVisits}</p>
        )}
      </section>
      <section class="card" id="devices" aria-labelledby="devices-title">
        <h2 id="devices-title">{t.cpDevices}</h2>
        {report.devices.length === 0 ? (
          <p class="empty">{t.cpNoVisits}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{t.channel}</th>
                  <th scope="col">{t.device}</th>
                  <th scope="col" class="num">
                    {t.visits}
                  </th>
                  <th scope="col" class="num">
                    {t.conversions}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.devices.map((device) => (
                  <tr>
                    <th scope="row" class="key">
                      {vocabName(t, 'channel', device.channel as string | null)}
                    </th>
                    <td data-label={t.device} data-col="device">
                      {vocabName(t, 'device', device.device_class as string | null)}
                    </td>
                    <td class="num" data-label={t.visits} data-col="visits">
                      {fmt.num(device.visits as number)}
                    </td>
                    <td class="num" data-label={t.conversions} data-col="conversions">
                      {fmt.num(device.conversions as number)}
                    </td>
                    <td class="num" data-label={t.revenue} data-col="revenue">
                      {fmt.money(Number(device.revenue ?? 0), (device.currency as string | null) ?? null)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div class="pair">
        <Breakdown id="countries" title={t.cpCountries} label={t.cpCountry} none={t.cpCountryUnknown} rows={report.countries} t={t} fmt={fmt} />
        <Breakdown id="referrers" title={t.cpReferrers} label={t.cpReferrer} none={t.cpReferrerNone} rows={report.referrers} t={t} fmt={fmt} />
      </div>
      <section class="card" id="conversions" aria-labelledby="conversions-title">
        <h2 id="conversions-title">{t.cpLinkConversions}</h2>
        {report.conversions.length === 0 ? (
          <p class="empty">{t.cpNoConversions}</p>
        ) : (
          <div class="table-wrap">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{t.cpWhen}</th>
                  <th scope="col">{t.cpType}</th>
                  <th scope="col" class="num">
                    {t.cpValue}
                  </th>
                  <th scope="col" class="num">
                    {t.cpShare}
                  </th>
                  <th scope="col" class="num">
                    {t.cpCredited}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.conversions.map((conversion) => (
                  <tr data-conversion={conversion.id}>
                    <th scope="row" class="key">
                      {fmt.date(conversion.occurredAt)}
                    </th>
                    <td data-label={t.cpType}>{conversion.type}</td>
                    <td class="num" data-label={t.cpValue}>
                      {conversion.value === null ? '–' : fmt.money(conversion.value, conversion.currency)}
                    </td>
                    <td class="num" data-label={t.cpShare}>
                      {fmt.pct(conversion.weight)}
                    </td>
                    <td class="num" data-label={t.cpCredited}>
                      {conversion.revenue === null ? '–' : fmt.money(conversion.revenue, conversion.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Breakdown(props: {
  id: string;
  title: string;
  label: string;
  none: string;
  rows: Array<{ value: string | null; visits: number }>;
  t: Texts;
  fmt: Formatters;
}) {
  const { t, fmt } = props;
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p class="empty">{t.cpNoVisits}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{props.label}</th>
                <th scope="col" class="num">
                  {t.visits}
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td class="wrap" data-col="value">
                    {row.value ?? props.none}
                  </td>
                  <td class="num" data-col="visits">
                    {fmt.num(row.visits)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
