/** `/loyalty` (the bonus program report) and `/loyalty/draws` (prize draws: list; admins create and run), over the API's schemas and services. */
import { replicaOf } from '../../db/client';
import type { Context } from 'hono';
import { grants } from '../../domain/scopes';
import { DrawInput } from '../../schemas/draws';
import { createDraw, drawEntriesCsv, listDrawsJson, runDraw } from '../../services/draws';
import { loyaltyProgramReport } from '../../services/loyalty-program-report';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { withIsoTimes } from '../dates';
import { formValues, runForm, toInput, type FieldErrors, type FormValues } from '../forms';
import { DrawsPage } from '../pages/draws';
import { LoyaltyPage } from '../pages/loyalty';
import { pageParams, pageRange } from '../report-query';

const reader = requireSession('reports:read', 'loyalty:read');
/** Draws and their winners are announced to marketers too. */
const drawReader = requireSession('reports:read', 'loyalty:read', 'links:write');
const admin = requireSession('admin');
const DRAWS = '/loyalty/draws';
const DRAW_LIST_LIMIT = 50;
const DRAW_FIELDS = ['name', 'source', 'campaign_id', 'batch_id', 'event_type', 'event_name', 'starts_at', 'ends_at', 'prizes', 'max_entries_per_member'];

export const loyaltyPages = uiRouter();

loyaltyPages.get('/loyalty', reader, async (c) => {
  const range = pageRange(c.req.query(), c.var.now());
  const report = await loyaltyProgramReport(replicaOf(c.var.db), range);
  return c.html(
    <LoyaltyPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      params={pageParams(range, {}, {})}
      preset={range.preset}
      errors={range.errors}
      report={report}
    />,
    Object.keys(range.errors).length > 0 ? 400 : 200,
  );
});

async function renderDraws(c: Context<UiEnv>, status: 200 | 400, failed?: { values: FormValues; errors: FieldErrors }) {
  const now = c.var.now();
  const page = await listDrawsJson(c.var.db, { limit: DRAW_LIST_LIMIT }, now);
  const done = c.req.query('done');
  const notice = status === 200 && done === 'created' ? c.var.t.drawCreated : status === 200 && done === 'ran' ? c.var.t.drawRan : null;
  return c.html(
    <DrawsPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      draws={page.data}
      notice={notice}
      values={failed?.values}
      errors={failed?.errors}
    />,
    status,
  );
}

loyaltyPages.get(DRAWS, drawReader, (c) => renderDraws(c, 200));

loyaltyPages.post(DRAWS, admin, async (c) => {
  const values = formValues(await readForm(c));
  const input = toInput(withIsoTimes(values, ['starts_at', 'ends_at']), DRAW_FIELDS, ['prizes', 'max_entries_per_member']);
  const outcome = await runForm(DrawInput, input, DRAW_FIELDS, (parsed) => createDraw(c.var.db, parsed, c.var.now()));
  if (!outcome.ok) return renderDraws(c, 400, { values, errors: outcome.errors });
  return redirectLocal(c, `${DRAWS}?done=created#draw-${outcome.value.id}`);
});

// A draw still open answers the notice page with draw_not_closed (409); the button shows only on closed draws.
loyaltyPages.post(`${DRAWS}/:id/run`, admin, async (c) => {
  const id = c.req.param('id');
  await runDraw(c.var.db, id, c.var.now());
  return redirectLocal(c, `${DRAWS}?done=ran#draw-${id}`);
});

loyaltyPages.get(`${DRAWS}/:id/entries.csv`, drawReader, (c) => drawEntriesCsv(c.var.db, c.req.param('id')));
