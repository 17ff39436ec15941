/** `/settings/currency`: the reporting currency, its exchange rates (list, add, delete) and a CSV upload of rates (admin). */
import type { ExchangeRate } from '../../domain/currency';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf, Field, Layout } from '../layout';

export type CurrencyForm = 'currency' | 'rate' | 'import';

export interface CurrencyView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
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
  const formError = (errors: FieldErrors) =>
    errors._ && (
      <p class="notice" role="alert">
        {errors._}
      </p>
    );
  const currency = failed('currency');
  const rate = failed('rate');
  const upload = failed('import');
  return (
    <Layout lang={view.lang} t={t} title={t.currencyTitle} path="/settings/currency" csrf={view.csrf} admin>
      <h1>{t.currencyTitle}</h1>
      <p class="muted">{t.currencyIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done}
        </p>
      )}
      <section class="card" aria-labelledby="reporting-title">
        <h2 id="reporting-title">{t.reportingCurrency}</h2>
        {formError(currency.errors)}
        <form class="stack" method="post" action="/settings/currency" id="reporting-form">
          <Csrf token={view.csrf} />
          <Field
            name="reporting_currency"
            label={t.reportingCurrency}
            value={currency.values.reporting_currency ?? view.reportingCurrency}
            error={currency.errors.reporting_currency}
            required
            attrs={{ maxlength: 3, autocapitalize: 'characters', autocomplete: 'off' }}
          />
          <div class="field">
            <button type="submit">{t.save}</button>
          </div>
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
        {view.rates.length === 0 ? (
          <p class="empty">{t.noRates}</p>
        ) : (
          <div class="table-wrap">
            <table class="rates" id="rates">
              <thead>
                <tr>
                  <th scope="col">{t.currencyCode}</th>
                  <th scope="col">{t.rateDay}</th>
                  <th scope="col" class="num">
                    {t.rate}
                  </th>
                  <th scope="col">
                    <span class="muted">{t.deleteRate}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.rates.map((r) => (
                  <tr data-rate={`${r.currency} ${r.day}`}>
                    <td data-col="currency">{r.currency}</td>
                    <td data-col="day">{r.day}</td>
                    <td class="num" data-col="rate">
                      {String(r.rate)}
                    </td>
                    <td>
                      <form class="inline" method="post" action="/settings/currency/rates/delete">
                        <Csrf token={view.csrf} />
                        <input type="hidden" name="currency" value={r.currency} />
                        <input type="hidden" name="day" value={r.day} />
                        <button type="submit" class="secondary" aria-label={`${t.deleteRate}: ${r.currency} ${r.day}`}>
                          {t.deleteRate}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.more && <p class="muted">{t.moreRates}</p>}
        <h3>{t.addRate}</h3>
        {formError(rate.errors)}
        <form class="stack" method="post" action="/settings/currency/rates" id="rate-form">
          <Csrf token={view.csrf} />
          <Field
            name="currency"
            label={t.currencyCode}
            value={rate.values.currency}
            error={rate.errors.currency}
            required
            attrs={{ maxlength: 3, autocapitalize: 'characters', autocomplete: 'off' }}
          />
          <Field name="day" label={t.rateDay} type="date" value={rate.values.day} error={rate.errors.day} required />
          <Field name="rate" label={t.rate} value={rate.values.rate} error={rate.errors.rate} required attrs={{ inputmode: 'decimal', autocomplete: 'off' }} />
          <div class="field">
            <button type="submit">{t.addRate}</button>
          </div>
        </form>
        <h3>{t.uploadRates}</h3>
        {upload.errors._ && (
          <p class="notice" role="alert" id="import-error">
            {upload.errors._}
          </p>
        )}
        <form class="stack" method="post" action="/settings/currency/import" enctype="multipart/form-data" id="import-form">
          <Csrf token={view.csrf} />
          <div class="field wide">
            <label for="f-file">{t.ratesFile}</label>
            <input id="f-file" name="file" type="file" accept=".csv,text/csv,text/plain" required />
          </div>
          <div class="field">
            <button type="submit">{t.uploadRates}</button>
          </div>
        </form>
        <p class="muted">{t.ratesCsvHelp}</p>
      </section>
    </Layout>
  );
}
