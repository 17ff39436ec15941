/**
 * `/imports`: the import page (sessions that may write links or conversions);
 * its form posts a whole file here, and its script posts parts of it to the
 * import API mounted at /imports/data (the same routes a key calls, for the
 * session, with the CSRF token in a header).
 */
import { Hono, type Context } from 'hono';
import { grants } from '../../domain/scopes';
import type { Scope } from '../../domain/vocab';
import { ApiError } from '../../lib/errors';
import { imports } from '../../routes/imports';
import { CONVERSION_IMPORT_COLUMNS, importResult, LINK_IMPORT_COLUMNS, MAX_CONVERSION_IMPORT_ROWS, MAX_LINK_IMPORT_ROWS } from '../../schemas/imports';
import { importConversions } from '../../services/import-conversions';
import { importLinks } from '../../services/import-links';
import { importTable, readCsvFile } from '../../services/import-table';
import { readForm, requireSession, requireSessionFetch, uiRouter, type UiEnv } from '../context';
import { IMPORT_KINDS, ImportPage, type ImportKind, type ImportView } from '../pages/imports';

const SCOPE_OF: Record<ImportKind, Scope> = { links: 'links:write', conversions: 'conversions:write' };
const writer = requireSession(...Object.values(SCOPE_OF));

const allowedKinds = (c: Context<UiEnv>) => IMPORT_KINDS.filter((kind) => grants(c.var.session.scopes, SCOPE_OF[kind]));

function render(c: Context<UiEnv>, status: 200 | 400, extra: Partial<Pick<ImportView, 'kind' | 'result' | 'error'>> = {}) {
  const allowed = allowedKinds(c);
  return c.html(
    <ImportPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      allowed={allowed}
      kind={extra.kind ?? allowed[0]}
      result={extra.result}
      error={extra.error}
    />,
    status,
  );
}

export const importPages = uiRouter();

importPages.get('/imports', writer, (c) => render(c, 200));

// Without the page's script: the whole file in one request, its results rendered here.
importPages.post('/imports', writer, async (c) => {
  const form = await readForm(c);
  const kind = allowedKinds(c).find((allowed) => allowed === form.kind);
  const file = form.file;
  if (!kind) return render(c, 400, { error: c.var.t.forbidden });
  if (!(file instanceof File) || file.size === 0) return render(c, 400, { kind, error: c.var.t.importNoFile });
  try {
    const text = await readCsvFile(file);
    const now = c.var.now();
    const results =
      kind === 'links'
        ? await importLinks(c.var.db, importTable(text, LINK_IMPORT_COLUMNS, MAX_LINK_IMPORT_ROWS), now)
        : await importConversions(c.var.db, c.env, importTable(text, CONVERSION_IMPORT_COLUMNS, MAX_CONVERSION_IMPORT_ROWS), now);
    return render(c, 200, { kind, result: importResult(results) });
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return render(c, 400, { kind, error: error.message });
    throw error;
  }
});

/**
 * The import API for the page's script: /imports/data/links and /imports/data/conversions.
 * A plain router, so the API's errors reach the app's JSON envelope, not a notice page.
 */
export const IMPORT_DATA = '/imports/data';
export const importData = new Hono<UiEnv>();
importData.use('*', requireSessionFetch);
importData.route('/', imports as never);
