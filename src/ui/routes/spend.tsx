/**
 * `/reports/spend`: spend in the browser over the API's schema and services — the
 * page reads with reports:read, the form, the upload and delete take links:write
 * (as POST/DELETE /api/v1/spend).
 */
import type { Context } from 'hono';
import { listCampaigns } from '../../db/campaigns';
import { grants } from '../../domain/scopes';
import { ApiError } from '../../lib/errors';
import { SpendInput, SpendParams } from '../../schemas/spend';
import { readCsvFile } from '../../services/import-table';
import { importSpendCsv, listSpend, removeSpend, saveSpend } from '../../services/spend';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { SpendPage, type SpendView } from '../pages/spend';
import { pageRange } from '../report-query';

const PATH = '/reports/spend';
const LIST_LIMIT = 200;

async function renderSpend(c: Context<UiEnv>, status: 200 | 400 | 404, failed?: SpendView['failed']) {
  const range = pageRange(c.req.query(), c.var.now());
  const [page, campaigns] = await Promise.all([
    listSpend(c.var.db, { from: range.from, to: range.to, limit: LIST_LIMIT }),
    listCampaigns(c.var.db, { limit: 200 }),
  ]);
  const t = c.var.t;
  const saved = Number(c.req.query('saved'));
  const done =
    status !== 200
      ? undefined
      : c.req.query('done') === 'deleted'
        ? t.spendDeleted
        : Number.isInteger(saved) && saved > 0
          ? `${t.spendSaved} ${c.var.fmt.num(saved)}`
          : undefined;
  return c.html(
    <SpendPage
      lang={c.var.lang}
      t={t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      from={range.from}
      to={range.to}
      preset={range.preset}
      rangeErrors={range.errors}
      entries={page.data}
      more={page.next_cursor !== null}
      campaigns={campaigns.items}
      canWrite={grants(c.var.session.scopes, 'links:write')}
      done={done}
      failed={failed}
    />,
    status,
  );
}

/** "12,50" or "12.50" as a number; anything else stays text for the schema to refuse. */
const amountNumber = (value: string | undefined): number | string => {
  const text = (value ?? '').trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : (value ?? '');
};
const NOT_A_NUMBER = 'must be a number like 19.99';

/** The form's fields as the API's entry: the picker's "campaign:<id>" or "channel:<name>". */
function entryOf(values: FormValues): Record<string, unknown> {
  const [kind, ...rest] = (values.target ?? '').split(':');
  const id = rest.join(':');
  return {
    day: values.day ?? '',
    ...(kind === 'campaign' ? { campaign_id: id } : kind === 'channel' ? { channel: id } : {}),
    amount: amountNumber(values.amount),
    currency: values.currency ?? '',
  };
}

export const spendPages = uiRouter();

spendPages.get(PATH, requireSession('reports:read'), (c) => renderSpend(c, 200));

spendPages.post(PATH, requireSession('links:write'), async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const input = entryOf(values);
  const outcome =
    typeof input.amount === 'string'
      ? ({ ok: false, errors: { amount: NOT_A_NUMBER } } as const)
      : await runForm(SpendInput, input, ['day', 'amount', 'currency'], (entry) => saveSpend(c.var.db, [entry], c.var.now()));
  if (!outcome.ok) {
    // The picker stands for campaign_id and channel; their errors (and the service's "spend.0.…") show at the form.
    const errors: FieldErrors = Object.fromEntries(Object.entries(outcome.errors).map(([key, text]) => [key, text.replace(/^spend\.0\.?:?\s*/, '')]));
    return renderSpend(c, 400, { form: 'spend', values, errors });
  }
  return redirectLocal(c, `${PATH}?saved=1&from=${input.day}&to=${input.day}`);
});

spendPages.post(`${PATH}/delete`, requireSession('links:write'), async (c) => {
  const parsed = SpendParams.safeParse({ id: formValues(await readForm(c)).id });
  if (!parsed.success) throw new ApiError('validation_error', 'id: Required');
  await removeSpend(c.var.db, parsed.data.id);
  return redirectLocal(c, `${PATH}?done=deleted`);
});

spendPages.post(`${PATH}/import`, requireSession('links:write'), async (c) => {
  const file = (await readForm(c)).file;
  const fail = (message: string) => renderSpend(c, 400, { form: 'import', values: {}, errors: { _: message } });
  if (!(file instanceof File) || file.size === 0) return fail(c.var.t.spendCsvHelp);
  try {
    const { data } = await importSpendCsv(c.var.db, await readCsvFile(file), c.var.now());
    const days = data.map((row) => row.day).sort();
    return redirectLocal(c, `${PATH}?saved=${data.length}&from=${days[0]}&to=${days[days.length - 1]}`);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return fail(error.message);
    throw error;
  }
});
