/** `/settings/domains`: branded domains in the browser (links:write sessions), over the API's schema and service. */
import type { Context } from 'hono';
import { countDomainLinks, listDomains } from '../../db/domains';
import { grants } from '../../domain/scopes';
import { ApiError } from '../../lib/errors';
import { DomainInput } from '../../schemas/domains';
import { addDomain, removeDomain } from '../../services/domains';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { noticeOf, withNotice } from '../page-query';
import { DomainsPage } from '../pages/domains';

const write = requireSession('links:write');
const PATH = '/settings/domains';
const LIST_LIMIT = 200;

async function renderDomains(c: Context<UiEnv>, status: 200 | 400 | 409, failed: { values?: FormValues; errors?: FieldErrors } = {}) {
  const page = await listDomains(c.var.db, LIST_LIMIT);
  const counts = await countDomainLinks(
    c.var.db,
    page.items.map((domain) => domain.id),
  );
  return c.html(
    <DomainsPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin={grants(c.var.session.scopes, 'admin')}
      domains={page.items.map((domain) => ({ domain, links: counts.get(domain.id) ?? 0 }))}
      notice={status === 200 ? noticeOf(c) : null}
      {...failed}
    />,
    status,
  );
}

export const domainPages = uiRouter();

domainPages.get(PATH, write, (c) => renderDomains(c, 200));

domainPages.post(PATH, write, async (c) => {
  const values = formValues(await readForm(c));
  const outcome = await runForm(DomainInput, { hostname: values.hostname ?? '' }, ['hostname'], (input) =>
    addDomain(c.var.db, c.env, input.hostname, c.var.now()),
  );
  if (!outcome.ok) return renderDomains(c, 400, { values, errors: outcome.errors });
  return redirectLocal(c, withNotice(PATH, 'domain-added'));
});

domainPages.post(`${PATH}/:id/remove`, write, async (c) => {
  try {
    await removeDomain(c.var.db, c.req.param('id'));
  } catch (error) {
    // Links were added since the page showed the button: say so on the page, remove nothing.
    if (error instanceof ApiError && error.code === 'conflict') return renderDomains(c, 409, { errors: { remove: error.message } });
    throw error;
  }
  return redirectLocal(c, withNotice(PATH, 'domain-removed'));
});
