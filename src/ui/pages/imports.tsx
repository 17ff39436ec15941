/**
 * `/imports`: a CSV file of links or past orders in, a result per row out. The
 * form posts the whole file (rendered here with its results); with the
 * page's script (/assets/import.js) the browser sends it in parts through the
 * import API with a progress bar, and fills the same results table.
 */
import { ASSET_PATHS } from '../assets';
import { Csrf, Layout } from '../layout';
import type { ImportResult, ImportRow, ImportStatus } from '../../schemas/imports';
import { fill } from '../texts';
import { Cell, FormError, type PageView, Submit } from './parts';

export const IMPORT_KINDS = ['links', 'conversions'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Data rows per request the page's script sends: links are created in batches, orders one by one. */
export const IMPORT_CHUNK_ROWS: Record<ImportKind, number> = { links: 500, conversions: 50 };

export interface ImportView extends PageView {
  /** Which imports the session may run. */
  allowed: readonly ImportKind[];
  kind: ImportKind;
  result?: ImportResult;
  error?: string;
}

/** Failed rows first, each group in file order. */
export const failedFirst = (rows: readonly ImportRow[]): ImportRow[] => [
  ...rows.filter((row) => row.status === 'failed'),
  ...rows.filter((row) => row.status !== 'failed'),
];

export function ImportPage(view: ImportView) {
  const { t } = view;
  const statusText: Record<ImportStatus, string> = { created: t.importStatusCreated, duplicate: t.importStatusDuplicate, failed: t.importStatusFailed };
  const kinds: Record<ImportKind, { label: string; help: string }> = {
    links: { label: t.importLinks, help: t.importLinksHelp },
    conversions: { label: t.importOrders, help: t.importOrdersHelp },
  };
  const result = view.result;
  return (
    <Layout lang={view.lang} t={t} title={t.importTitle} path="/imports" csrf={view.csrf} admin={view.admin} scripts={[ASSET_PATHS.importJs]}>
      <h1>{t.importTitle}</h1>
      <p class="muted">{t.importIntro}</p>
      <section class="card" aria-labelledby="import-form-title">
        <h2 id="import-form-title">{t.importWhat}</h2>
        <FormError error={view.error} id="import-error" />
        <form
          class="stack"
          method="post"
          action="/imports"
          enctype="multipart/form-data"
          id="import-form"
          data-import="/imports/data/"
          data-chunks={JSON.stringify(IMPORT_CHUNK_ROWS)}
          data-texts={JSON.stringify({
            running: t.importRunning,
            finished: t.importFinished,
            stopped: t.importStopped,
            sessionEnded: t.importSessionEnded,
            noFile: t.importNoFile,
            statuses: statusText,
          })}
        >
          <Csrf token={view.csrf} />
          <fieldset class="field">
            <legend>{t.importWhat}</legend>
            {view.allowed.map((kind) => (
              <label class="check">
                <input type="radio" name="kind" value={kind} checked={kind === view.kind} aria-describedby={`help-${kind}`} /> {kinds[kind].label}
              </label>
            ))}
          </fieldset>
          <div class="field wide">
            <label for="f-file">{t.importFile}</label>
            <input id="f-file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <Submit label={t.importStart} />
        </form>
        {view.allowed.map((kind) => (
          <p class="muted" id={`help-${kind}`}>
            <strong>{kinds[kind].label}:</strong> {kinds[kind].help}
          </p>
        ))}
        <div class="import-progress" id="import-progress" hidden>
          <label for="import-bar">{t.importProgress}</label>
          <progress id="import-bar" max="1" value="0"></progress>
        </div>
        <p role="status" id="import-status" class={result ? 'notice ok' : undefined}>
          {result && fill(t.importFinished, result.counts)}
        </p>
      </section>
      <section class="card" aria-labelledby="import-results-title" id="import-results" hidden={!result}>
        <h2 id="import-results-title">{t.importResults}</h2>
        <p>
          <button type="button" class="secondary" id="import-download" hidden>
            {t.importDownload}
          </button>
        </p>
        <section class="table-wrap" tabindex={0} aria-label={t.importResults}>
          <table class="cards" id="import-table">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t.importRow}
                </th>
                <th scope="col" class="num">
                  {t.importLine}
                </th>
                <th scope="col">{t.importStatus}</th>
                <th scope="col">{t.importId}</th>
                <th scope="col">{t.importError}</th>
              </tr>
            </thead>
            <tbody>
              {failedFirst(result?.results ?? []).map((row) => (
                <tr data-status={row.status}>
                  <Cell num label={t.importRow}>
                    {row.row}
                  </Cell>
                  <Cell num label={t.importLine}>
                    {row.line}
                  </Cell>
                  <Cell label={t.importStatus} class={`status-${row.status}`}>
                    {statusText[row.status]}
                  </Cell>
                  <Cell label={t.importId}>{row.id ? <code>{row.id}</code> : ''}</Cell>
                  <Cell label={t.importError}>{row.error ? `${row.error.code}: ${row.error.message}` : ''}</Cell>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>
    </Layout>
  );
}
