/** `/settings/currency`: the reporting currency and its exchange rates in the browser (admin sessions), over the API's schemas and services. */
import type { Context } from 'hono';
import { ApiError, notFound } from '../../lib/errors';
import { RateInput, RateParams, SettingsPatch } from '../../schemas/exchange-rates';
import { importRatesCsv, listRates, removeRate, reportingCurrency, saveRates, setReportingCurrency } from '../../services/exchange-rates';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { CurrencyPage, type CurrencyView } from '../pages/currency';

const admin = requireSession('admin');
const PATH = '/settings/currency';
const LIST_LIMIT = 200;
/** Largest rates file read. */
const MAX_FILE_BYTES = 1_000_000;

async function renderCurrency(c: Context<UiEnv>, status: 200 | 400, failed?: CurrencyView['failed']) {
  const [base, page] = await Promise.all([reportingCurrency(c.var.db), listRates(c.var.db, { limit: LIST_LIMIT })]);
  const t = c.var.t;
  const done = c.req.query('done');
  const saved = Number(c.req.query('saved'));
  const message =
    status !== 200
      ? undefined
      : done === 'currency'
        ? t.currencySaved
        : done === 'deleted'
          ? t.rateDeleted
          : Number.isInteger(saved) && saved > 0
            ? `${t.ratesSaved} ${c.var.fmt.num(saved)}`
            : undefined;
  return c.html(
    <CurrencyPage
      lang={c.var.lang}
      t={t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      reportingCurrency={base}
      rates={page.data}
      more={page.next_cursor !== null}
      done={message}
      failed={failed}
    />,
    status,
  );
}

const upper = (value: string | undefined) => (value ?? '').toUpperCase();
/** A rate typed with a decimal point or comma ("0,92"). */
const rateNumber = (value: string | undefined): number | string => {
  const text = (value ?? '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : (value ?? '');
};
const NOT_A_NUMBER = 'must be a number like 0.92';

export const currencyPages = uiRouter();

currencyPages.get(PATH, admin, (c) => renderCurrency(c, 200));

currencyPages.post(PATH, admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const outcome = await runForm(SettingsPatch, { reporting_currency: upper(values.reporting_currency) }, ['reporting_currency'], (input) =>
    setReportingCurrency(c.var.db, input.reporting_currency),
  );
  if (!outcome.ok) return renderCurrency(c, 400, { form: 'currency', values, errors: outcome.errors });
  return redirectLocal(c, `${PATH}?done=currency`);
});

currencyPages.post(`${PATH}/rates`, admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const rate = rateNumber(values.rate);
  const input = { currency: upper(values.currency), day: values.day ?? '', rate };
  const outcome =
    typeof rate === 'string'
      ? ({ ok: false, errors: { rate: NOT_A_NUMBER } } as const)
      : await runForm(RateInput, input, ['currency', 'day', 'rate'], (parsed) => saveRates(c.var.db, [parsed]));
  if (!outcome.ok) return renderCurrency(c, 400, { form: 'rate', values, errors: outcome.errors });
  return redirectLocal(c, `${PATH}?saved=1`);
});

currencyPages.post(`${PATH}/rates/delete`, admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const parsed = RateParams.safeParse({ currency: values.currency, day: values.day });
  if (!parsed.success || !(await removeRate(c.var.db, parsed.data.currency, parsed.data.day))) throw notFound('Exchange rate');
  return redirectLocal(c, `${PATH}?done=deleted`);
});

currencyPages.post(`${PATH}/import`, admin, async (c) => {
  const file = (await readForm(c)).file;
  const fail = (message: string) => renderCurrency(c, 400, { form: 'import', values: {}, errors: { _: message } as FieldErrors });
  if (!(file instanceof File) || file.size === 0) return fail(c.var.t.ratesCsvHelp);
  if (file.size > MAX_FILE_BYTES) return fail(`file: at most ${MAX_FILE_BYTES} bytes`);
  try {
    const { saved } = await importRatesCsv(c.var.db, await file.text());
    return redirectLocal(c, `${PATH}?saved=${saved}`);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return fail(error.message);
    throw error;
  }
});
