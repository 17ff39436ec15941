/** `/settings/currency`: the reporting currency, its exchange rates (list, add, delete) and a CSV upload of rates (admin). */
import type { ExchangeRate } from '../../domain/currency';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import { Cell, CODE_ATTRS, CsvUpload, DataTable, FormError, type PageView, PostButton, Submit } from './parts';
import { SettingsTabs } from './settings-tabs';

export type CurrencyForm = 'currency' | 'rate' | 'import';

export interface CurrencyView extends PageView {
  reportingCurrency: string;
  rates: ExchangeRate[];
  /** More rates are stored than listed. */
  more: boolean;
  /** What the last form did (POST-redirect-GET): a message to show. */
  done?: string;
  failed?: { form: CurrencyForm; values: FormValues; errors: FieldErrors };
}

export function CurrencyPage(view: CurrencyView) {
  const { t } = view;
  const failed = (form: CurrencyForm) => (view.failed?.form === form ? view.failed : { values: {} as FormValues, errors: {} as FieldErrors });
  const currency = failed('currency');
  const rate = failed('rate');
  const upload = failed('import');
  return (
    <Layout lang={view.lang} t={t} title={t.currencyTitle} path="/settings/currency" csrf={view.csrf} admin>
      <h1>{t.currencyTitle}</h1>
      <SettingsTabs t={t} path={'/settings/currency'} />
      <p class="muted">{t.currencyIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done}
        </p>
      )}
      <section class="card" aria-labelledby="reporting-title">
        <h2 id="reporting-title">{t.reportingCurrency}</h2>
        <FormError error={currency.errors._} />
        <form class="stack" method="post" action="/settings/currency" id="reporting-form">
          <Csrf token={view.csrf} />
          <Field
            name="reporting_currency"
            label={t.reportingCurrency}
            value={currency.values.reporting_currency ?? view.reportingCurrency}
            error={currency.errors.reporting_currency}
            required
            attrs={CODE_ATTRS}
          />
          <Submit label={t.save} />
        </form>
        <p class="muted">
          {t.currencyCodeHelp}. {t.currencyChangeNote}
        </p>
      </section>
      <section class="card" aria-labelledby="rates-title">
        <h2 id="rates-title">
          {t.exchangeRates} → {view.reportingCurrency}
        </h2>
        <p class="muted">
          {t.rateMeaning} {view.reportingCurrency}.
        </p>
        <DataTable
          class="rates"
          id="rates"
          rows={view.rates}
          empty={t.noRates}
          columns={[{ label: t.currencyCode }, { label: t.rateDay }, { label: t.rate, num: true }, { label: t.deleteRate, muted: true }]}
          row={(r) => (
            <tr data-rate={`${r.currency} ${r.day}`}>
              <Cell col="currency">{r.currency}</Cell>
              <Cell col="day">{r.day}</Cell>
              <Cell num col="rate">
                {String(r.rate)}
              </Cell>
              <td>
                <PostButton
                  action="/settings/currency/rates/delete"
                  csrf={view.csrf}
                  hidden={{ currency: r.currency, day: r.day }}
                  label={t.deleteRate}
                  ariaLabel={`${t.deleteRate}: ${r.currency} ${r.day}`}
                />
              </td>
            </tr>
          )}
        />
        {view.more && <p class="muted">{t.moreRates}</p>}
        <h3>{t.addRate}</h3>
        <FormError error={rate.errors._} />
        <form class="stack" method="post" action="/settings/currency/rates" id="rate-form">
          <Csrf token={view.csrf} />
          <Field name="currency" label={t.currencyCode} value={rate.values.currency} error={rate.errors.currency} required attrs={CODE_ATTRS} />
          <Field name="day" label={t.rateDay} type="date" value={rate.values.day} error={rate.errors.day} required />
          <Field name="rate" label={t.rate} value={rate.values.rate} error={rate.errors.rate} required attrs={{ inputmode: 'decimal', autocomplete: 'off' }} />
          <Submit label={t.addRate} />
        </form>
        <h3>{t.uploadRates}</h3>
        <CsvUpload
          action="/settings/currency/import"
          id="import-form"
          csrf={view.csrf}
          fileLabel={t.ratesFile}
          submit={t.uploadRates}
          error={upload.errors._}
          accept=".csv,text/csv,text/plain"
        />
        <p class="muted">{t.ratesCsvHelp}</p>
      </section>
    </Layout>
  );
}
