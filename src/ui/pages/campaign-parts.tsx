/** Campaign page sections: action code batches and promo codes, each with its figures and its form. */
import type { AttributionModel } from '../../domain/vocab';
import type { BatchRow, CodeFigures, PromoRow } from '../../services/campaign-page';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Csrf, Field } from '../layout';
import { revenueText } from '../report-query';
import { fill, vocabName } from '../texts';
import { DateTimeField } from './campaign-forms';

export interface Part {
  t: Texts;
  fmt: Formatters;
  csrf: string;
  campaignId: string;
  canWrite: boolean;
  model: AttributionModel;
}

interface FormPart extends Part {
  values: FormValues;
  errors: FieldErrors;
}

/** "from 1 Mar 2026 · until 31 Dec 2026", or "always". */
const validity = (t: Texts, fmt: Formatters, from: string | null, until: string | null): string =>
  [from && fill(t.cpFromDate, { date: fmt.date(from) }), until && fill(t.cpUntilDate, { date: fmt.date(until) })].filter(Boolean).join(' · ') || t.cpAlways;

/** The figure cells shared by batches and promotions: entries or redemptions, conversions, revenue. */
function CodeFigureCells(props: { t: Texts; fmt: Formatters; figures: CodeFigures | null; kind: 'batch' | 'promo' }) {
  const { t, fmt, figures } = props;
  const num = (value: number | undefined) => (figures ? fmt.num(value ?? 0) : '–');
  return (
    <>
      {props.kind === 'batch' && (
        <td class="num" data-label={t.entered} data-metric="entered">
          {num(figures?.entered)}
        </td>
      )}
      {props.kind === 'batch' && (
        <td class="num" data-label={t.accepted} data-metric="accepted">
          {num(figures?.accepted)}
        </td>
      )}
      {props.kind === 'batch' && (
        <td class="num" data-label={t.cpRedeemedCodes} data-metric="redeemed">
          {num(figures?.redeemedCodes)}
        </td>
      )}
      <td class="num" data-label={t.conversions} data-metric="conversions">
        {num(figures?.conversions)}
      </td>
      <td class="num" data-label={t.revenue} data-metric="revenue">
        {figures ? revenueText(fmt, t, figures.revenue) : '–'}
      </td>
    </>
  );
}

const FormErrors = (props: { errors: FieldErrors }) =>
  props.errors._ ? (
    <p class="notice field wide" role="alert">
      {props.errors._}
    </p>
  ) : null;

export function BatchesSection(props: FormPart & { batches: BatchRow[] }) {
  const { t, fmt, values, errors } = props;
  return (
    <section class="card" id="codes" aria-labelledby="batches-title">
      <h2 id="batches-title">{t.codeBatches}</h2>
      {props.batches.length === 0 ? (
        <p class="empty">{t.noBatches}</p>
      ) : (
        <>
          <p class="muted">{fill(t.cpCodesNote, { model: vocabName(t, 'model', props.model) })}</p>
          <div class="table-wrap">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{t.cpBatchName}</th>
                  <th scope="col" class="num">
                    {t.minted}
                  </th>
                  <th scope="col">{t.cpValid}</th>
                  <th scope="col" class="num">
                    {t.entered}
                  </th>
                  <th scope="col" class="num">
                    {t.accepted}
                  </th>
                  <th scope="col" class="num">
                    {t.cpRedeemedCodes}
                  </th>
                  <th scope="col" class="num">
                    {t.conversions}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                  <th scope="col">CSV</th>
                </tr>
              </thead>
              <tbody>
                {props.batches.map(({ batch, figures }) => (
                  <tr data-batch={batch.id}>
                    <th scope="row" class="key">
                      {batch.prefix ? fill(t.cpBatchNamed, { prefix: batch.prefix }) : t.cpBatchUnnamed}
                      <div class="muted">{[batch.reward, fmt.date(batch.createdAt)].filter(Boolean).join(' · ')}</div>
                    </th>
                    <td class="num" data-label={t.minted} data-metric="minted">
                      {batch.minted < batch.count ? fill(t.cpMinting, { minted: fmt.num(batch.minted), count: fmt.num(batch.count) }) : fmt.num(batch.minted)}
                    </td>
                    <td data-label={t.cpValid}>{validity(t, fmt, batch.startsAt, batch.expiresAt)}</td>
                    <CodeFigureCells t={t} fmt={fmt} figures={figures} kind="batch" />
                    <td data-label="CSV">{batch.status === 'ready' ? <a href={`/codes/batches/${batch.id}/codes.csv`}>{t.downloadCsv}</a> : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/code-batches`}>
          <Csrf token={props.csrf} />
          <FormErrors errors={errors} />
          <Field name="count" label={t.count} value={values.count ?? '100'} error={errors.count} type="number" required attrs={{ min: 1, max: 1000000 }} />
          <Field name="prefix" label={t.prefix} value={values.prefix} error={errors.prefix} />
          <Field name="reward" label={t.reward} value={values.reward} error={errors.reward} />
          <Field
            name="max_redemptions_per_code"
            id="b-max_redemptions_per_code"
            label={t.perCode}
            value={values.max_redemptions_per_code ?? '1'}
            error={errors.max_redemptions_per_code}
            type="number"
            attrs={{ min: 1 }}
          />
          <DateTimeField name="starts_at" id="b-starts_at" label={t.cpValidFrom} t={t} value={values.starts_at} error={errors.starts_at} />
          <DateTimeField name="expires_at" id="b-expires_at" label={t.cpValidUntil} t={t} value={values.expires_at} error={errors.expires_at} />
          <div class="field">
            <button type="submit">{t.mint}</button>
          </div>
        </form>
      )}
    </section>
  );
}

/** "at most 100 in total · 1 per customer · order ≥ 19.90", or "none". */
function limits(t: Texts, fmt: Formatters, row: PromoRow): string {
  const { promo } = row;
  const parts = [
    promo.maxRedemptions !== null && fill(t.cpLimitTotal, { n: fmt.num(promo.maxRedemptions) }),
    promo.maxPerCustomer !== null && fill(t.cpLimitCustomer, { n: fmt.num(promo.maxPerCustomer) }),
    promo.minOrderValue !== null && fill(t.cpLimitOrder, { value: fmt.num(promo.minOrderValue) }),
  ];
  return parts.filter(Boolean).join(' · ') || t.cpNoLimit;
}

export function PromosSection(props: FormPart & { promos: PromoRow[] }) {
  const { t, fmt, values, errors } = props;
  return (
    <section class="card" id="promos" aria-labelledby="promos-title">
      <h2 id="promos-title">{t.promoCodes}</h2>
      {props.promos.length === 0 ? (
        <p class="empty">{t.noPromos}</p>
      ) : (
        <>
          <p class="muted">{fill(t.cpCodesNote, { model: vocabName(t, 'model', props.model) })}</p>
          <div class="table-wrap">
            <table class="cards">
              <thead>
                <tr>
                  <th scope="col">{t.code}</th>
                  <th scope="col">{t.discount}</th>
                  <th scope="col" class="num">
                    {t.redemptions}
                  </th>
                  <th scope="col">{t.cpLimits}</th>
                  <th scope="col">{t.cpValid}</th>
                  <th scope="col" class="num">
                    {t.conversions}
                  </th>
                  <th scope="col" class="num">
                    {t.revenue}
                  </th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">CSV</th>
                </tr>
              </thead>
              <tbody>
                {props.promos.map((row) => {
                  const { promo } = row;
                  return (
                    <tr data-promo={promo.id}>
                      <th scope="row" class="key">
                        <code>{promo.code ?? fill(t.cpUniqueCodes, { count: fmt.num(promo.count), prefix: promo.prefix ?? '' })}</code>
                      </th>
                      <td data-label={t.discount}>{promo.discount ?? '–'}</td>
                      <td class="num" data-label={t.redemptions} data-metric="redemptions">
                        {fmt.num(promo.redemptions)}
                        {promo.maxRedemptions !== null && ` / ${fmt.num(promo.maxRedemptions)}`}
                      </td>
                      <td data-label={t.cpLimits}>{limits(t, fmt, row)}</td>
                      <td data-label={t.cpValid}>{validity(t, fmt, promo.startsAt, promo.endsAt)}</td>
                      <CodeFigureCells t={t} fmt={fmt} figures={row.figures} kind="promo" />
                      <td data-label={t.status}>{promo.status === 'active' ? t.active : t.archived}</td>
                      <td data-label="CSV">
                        <a href={`/codes/promos/${promo.id}/codes.csv`}>{t.downloadCsv}</a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/promo-codes`}>
          <Csrf token={props.csrf} />
          <FormErrors errors={errors} />
          <Field name="code" label={t.code} value={values.code} error={errors.code} attrs={{ pattern: '[A-Za-z0-9-]{3,32}' }} />
          <Field name="count" id="p-count" label={t.uniqueCount} value={values.count} error={errors.count} type="number" attrs={{ min: 1, max: 10000 }} />
          <Field name="prefix" id="p-prefix" label={t.prefix} value={values.prefix} error={errors.prefix} />
          <Field name="discount" label={t.discount} value={values.discount} error={errors.discount} />
          <Field
            name="max_redemptions"
            label={`${t.redemptions} (max)`}
            value={values.max_redemptions}
            error={errors.max_redemptions}
            type="number"
            attrs={{ min: 1 }}
          />
          <Field
            name="max_per_customer"
            id="p-max_per_customer"
            label={t.perCustomer}
            value={values.max_per_customer}
            error={errors.max_per_customer}
            type="number"
            attrs={{ min: 1 }}
          />
          <Field
            name="min_order_value"
            id="p-min_order_value"
            label={t.minOrderValue}
            value={values.min_order_value}
            error={errors.min_order_value}
            type="number"
            attrs={{ min: 0, step: '0.01' }}
          />
          <DateTimeField name="starts_at" id="p-starts_at" label={t.cpValidFrom} t={t} value={values.starts_at} error={errors.starts_at} />
          <DateTimeField name="ends_at" id="p-ends_at" label={t.cpValidUntil} t={t} value={values.ends_at} error={errors.ends_at} />
          <div class="field">
            <button type="submit">{t.createPromo}</button>
          </div>
        </form>
      )}
    </section>
  );
}
