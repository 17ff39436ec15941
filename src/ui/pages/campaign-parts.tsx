/** Campaign page sections: action code batches and promo codes, each with its figures and its form. */
import type { AttributionModel } from '../../domain/vocab';
import type { BatchRow, CodeFigures, PromoRow } from '../../services/campaign-page';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Csrf, Field } from '../layout';
import { revenueText } from '../report-query';
import { fill, vocabName } from '../texts';
import { DateTimeField } from './campaign-forms';
import { Card, Cell, DataTable, type Figure, FigureCells, figureColumns, FormError, KeyCell, Submit } from './parts';

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

/** The figures shown for batches (entries first) and promotions: conversions and revenue credited to their codes. */
const codeFigures = (t: Texts, fmt: Formatters, kind: 'batch' | 'promo'): Figure<CodeFigures>[] => [
  ...(kind === 'batch'
    ? [
        { metric: 'entered', label: t.entered, show: (f: CodeFigures) => fmt.num(f.entered) },
        { metric: 'accepted', label: t.accepted, show: (f: CodeFigures) => fmt.num(f.accepted) },
        { metric: 'redeemed', label: t.cpRedeemedCodes, show: (f: CodeFigures) => fmt.num(f.redeemedCodes) },
      ]
    : []),
  { metric: 'conversions', label: t.conversions, show: (f) => fmt.num(f.conversions) },
  { metric: 'revenue', label: t.revenue, show: (f) => revenueText(fmt, t, f.revenue) },
];

export function BatchesSection(props: FormPart & { batches: BatchRow[] }) {
  const { t, fmt, values, errors } = props;
  const figureList = codeFigures(t, fmt, 'batch');
  return (
    <section class="card" id="codes" aria-labelledby="batches-title">
      <h2 id="batches-title">{t.codeBatches}</h2>
      <DataTable
        class="cards"
        rows={props.batches}
        empty={t.noBatches}
        intro={<p class="muted">{fill(t.cpCodesNote, { model: vocabName(t, 'model', props.model) })}</p>}
        columns={[{ label: t.cpBatchName }, { label: t.minted, num: true }, { label: t.cpValid }, ...figureColumns(figureList), { label: 'CSV' }]}
        row={({ batch, figures }) => (
          <tr data-batch={batch.id}>
            <KeyCell>
              {batch.prefix ? fill(t.cpBatchNamed, { prefix: batch.prefix }) : t.cpBatchUnnamed}
              <div class="muted">{[batch.reward, fmt.date(batch.createdAt)].filter(Boolean).join(' · ')}</div>
            </KeyCell>
            <Cell num label={t.minted} metric="minted">
              {batch.minted < batch.count ? fill(t.cpMinting, { minted: fmt.num(batch.minted), count: fmt.num(batch.count) }) : fmt.num(batch.minted)}
            </Cell>
            <Cell label={t.cpValid}>{validity(t, fmt, batch.startsAt, batch.expiresAt)}</Cell>
            <FigureCells figures={figureList} of={figures} />
            <Cell label="CSV">{batch.status === 'ready' ? <a href={`/codes/batches/${batch.id}/codes.csv`}>{t.downloadCsv}</a> : '–'}</Cell>
          </tr>
        )}
      />
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/code-batches`}>
          <Csrf token={props.csrf} />
          <FormError error={errors._} wide />
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
          <Submit label={t.mint} />
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
  const figureList = codeFigures(t, fmt, 'promo');
  return (
    <Card id="promos" title={t.promoCodes}>
      <DataTable
        class="cards"
        rows={props.promos}
        empty={t.noPromos}
        intro={<p class="muted">{fill(t.cpCodesNote, { model: vocabName(t, 'model', props.model) })}</p>}
        columns={[
          { label: t.code },
          { label: t.discount },
          { label: t.redemptions, num: true },
          { label: t.cpLimits },
          { label: t.cpValid },
          ...figureColumns(figureList),
          { label: t.status },
          { label: 'CSV' },
        ]}
        row={(row) => {
          const { promo } = row;
          return (
            <tr data-promo={promo.id}>
              <KeyCell>
                <code>{promo.code ?? fill(t.cpUniqueCodes, { count: fmt.num(promo.count), prefix: promo.prefix ?? '' })}</code>
              </KeyCell>
              <Cell label={t.discount}>{promo.discount ?? '–'}</Cell>
              <Cell num label={t.redemptions} metric="redemptions">
                {fmt.num(promo.redemptions)}
                {promo.maxRedemptions !== null && ` / ${fmt.num(promo.maxRedemptions)}`}
              </Cell>
              <Cell label={t.cpLimits}>{limits(t, fmt, row)}</Cell>
              <Cell label={t.cpValid}>{validity(t, fmt, promo.startsAt, promo.endsAt)}</Cell>
              <FigureCells figures={figureList} of={row.figures} />
              <Cell label={t.status}>{promo.status === 'active' ? t.active : t.archived}</Cell>
              <Cell label="CSV">
                <a href={`/codes/promos/${promo.id}/codes.csv`}>{t.downloadCsv}</a>
              </Cell>
            </tr>
          );
        }}
      />
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/promo-codes`}>
          <Csrf token={props.csrf} />
          <FormError error={errors._} wide />
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
          <Submit label={t.createPromo} />
        </form>
      )}
    </Card>
  );
}
