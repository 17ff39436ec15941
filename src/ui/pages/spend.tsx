/** `/reports/spend`: the spend entries of a range, a form for a day's cost and a CSV upload. */
import type { Campaign } from '../../db/campaigns';
import { CHANNELS } from '../../domain/vocab';
import type { Spend } from '../../schemas/spend';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import type { RangePreset } from '../ranges';
import { vocabName } from '../texts/index';
import { Cell, CODE_ATTRS, CsvUpload, DataTable, FormError, type PageView, PostButton, Submit } from './parts';
import { RangePicker } from './range-picker';

export type SpendForm = 'spend' | 'import';

export interface SpendView extends PageView {
  from: string;
  to: string;
  preset: RangePreset | undefined;
  rangeErrors: FieldErrors;
  entries: Spend[];
  /** More entries are stored in the range than listed. */
  more: boolean;
  campaigns: Campaign[];
  /** Only sessions with links:write see the forms and delete buttons. */
  canWrite: boolean;
  done?: string;
  failed?: { form: SpendForm; values: FormValues; errors: FieldErrors };
}

/** The value of the campaign-or-channel picker: "campaign:<id>" or "channel:<name>". */
export const targetOf = (entry: { campaign_id?: string | null; channel?: string | null }) =>
  entry.campaign_id ? `campaign:${entry.campaign_id}` : `channel:${entry.channel ?? ''}`;

export function SpendPage(view: SpendView) {
  const { t, fmt } = view;
  const failed = (form: SpendForm) => (view.failed?.form === form ? view.failed : { values: {} as FormValues, errors: {} as FieldErrors });
  const entry = failed('spend');
  const upload = failed('import');
  const names = new Map(view.campaigns.map((campaign) => [campaign.id, campaign.name]));
  const target = entry.values.target ?? '';
  return (
    <Layout lang={view.lang} t={t} title={t.spendTitle} path="/reports" csrf={view.csrf} admin={view.admin}>
      <h1>{t.spendTitle}</h1>
      <p class="muted">{t.spendIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done}
        </p>
      )}
      <section class="card filters-card">
        <RangePicker
          t={t}
          path="/reports/spend"
          params={{ from: view.from, to: view.to }}
          from={view.from}
          to={view.to}
          preset={view.preset}
          errors={view.rangeErrors}
        />
      </section>
      <section class="card" aria-labelledby="entries-title">
        <h2 id="entries-title">{t.spendEntries}</h2>
        <DataTable
          class="spend"
          id="spend-entries"
          rows={view.entries}
          empty={t.noSpend}
          columns={[
            { label: t.spendDay },
            { label: t.spendTarget },
            { label: t.spendAmount, num: true },
            ...(view.canWrite ? [{ label: t.deleteSpend, muted: true }] : []),
          ]}
          row={(row) => (
            <tr data-spend={`${row.day} ${targetOf(row)}`}>
              <Cell col="day">{row.day}</Cell>
              <Cell col="target">{row.campaign_id ? (names.get(row.campaign_id) ?? row.campaign_id) : vocabName(t, 'channel', row.channel)}</Cell>
              <Cell num col="amount">
                {fmt.money(row.amount, row.currency)}
              </Cell>
              {view.canWrite && (
                <td>
                  <PostButton
                    action="/reports/spend/delete"
                    csrf={view.csrf}
                    hidden={{ id: row.id }}
                    label={t.deleteSpend}
                    ariaLabel={`${t.deleteSpend}: ${row.day}`}
                  />
                </td>
              )}
            </tr>
          )}
        />
        {view.more && <p class="muted">{t.moreRates}</p>}
        {view.canWrite && (
          <>
            <h3>{t.addSpend}</h3>
            <FormError error={entry.errors._} />
            <form class="stack" method="post" action="/reports/spend" id="spend-form">
              <Csrf token={view.csrf} />
              <Field name="day" label={t.spendDay} type="date" value={entry.values.day} error={entry.errors.day} required />
              <div class="field">
                <label for="f-target">{t.spendTarget}</label>
                <select id="f-target" name="target" required aria-invalid={entry.errors.target ? 'true' : undefined}>
                  <optgroup label={t.campaign}>
                    {view.campaigns.map((campaign) => (
                      <option value={`campaign:${campaign.id}`} selected={target === `campaign:${campaign.id}`}>
                        {campaign.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label={t.channel}>
                    {CHANNELS.map((channel) => (
                      <option value={`channel:${channel}`} selected={target === `channel:${channel}`}>
                        {vocabName(t, 'channel', channel)}
                      </option>
                    ))}
                  </optgroup>
                </select>
                {entry.errors.target && <span class="error">{entry.errors.target}</span>}
              </div>
              <Field
                name="amount"
                label={t.spendAmount}
                value={entry.values.amount}
                error={entry.errors.amount}
                required
                attrs={{ inputmode: 'decimal', autocomplete: 'off' }}
              />
              <Field name="currency" label={t.currencyCode} value={entry.values.currency} error={entry.errors.currency} required attrs={CODE_ATTRS} />
              <Submit label={t.addSpend} />
            </form>
            <h3>{t.uploadSpend}</h3>
            <CsvUpload
              action="/reports/spend/import"
              id="spend-import-form"
              csrf={view.csrf}
              fileLabel={t.spendFile}
              submit={t.uploadSpend}
              error={upload.errors._}
              accept=".csv,text/csv"
            />
            <p class="muted">{t.spendCsvHelp}</p>
          </>
        )}
      </section>
    </Layout>
  );
}
