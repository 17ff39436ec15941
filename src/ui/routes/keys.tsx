/** `/settings/keys`: minting, listing and revoking API keys in the browser (admin sessions). */
import type { Context } from 'hono';
import { findApiKeyById, listApiKeys } from '../../db/api-keys';
import { revokeKey } from '../../services/auth';
import { countDeadLetters, replayDeadLetters } from '../../services/dead-letters';
import { SCOPES } from '../../domain/vocab';
import { notFound } from '../../lib/errors';
import { KeyInput } from '../../schemas/keys';
import { mintApiKey } from '../../services/api-keys';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { KeysPage, type KeysView } from '../pages/keys';
import { ConfirmPage } from '../pages/confirm';
import { noticeOf, withNotice } from '../page-query';
import { fill } from '../texts';

const admin = requireSession('admin');
const LIST_LIMIT = 100;

async function renderKeys(c: Context<UiEnv>, status: 200 | 201 | 400 | 503, extra: Pick<KeysView, 'created' | 'values' | 'errors' | 'notice'> = {}) {
  const page = await listApiKeys(c.var.db, LIST_LIMIT);
  // The admin's settings page is where an operator looks: it names dead letters waiting in R2 (a listing, no object read).
  const deadLetters = await countDeadLetters(c.env.ARCHIVE).catch((error) => {
    console.error('counting dead letters failed', error);
    return null;
  });
  return c.html(
    <KeysPage lang={c.var.lang} t={c.var.t} fmt={c.var.fmt} csrf={c.var.csrf} keys={page.items} notice={noticeOf(c)} deadLetters={deadLetters} {...extra} />,
    status,
  );
}

export const keyPages = uiRouter();

keyPages.get('/settings/keys', admin, (c) => renderKeys(c, 200));

// The secret is shown in this response only (no redirect: it is never stored in clear).
keyPages.post('/settings/keys', admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const input = { name: values.name ?? '', scopes: SCOPES.filter((scope) => values[`scope-${scope}`] === 'on') };
  const outcome = await runForm(KeyInput, input, ['name', 'scopes'], (parsed) => mintApiKey(c.var.db, parsed, c.var.now()));
  if (!outcome.ok) return renderKeys(c, 400, { values, errors: outcome.errors as FieldErrors });
  return renderKeys(c, 201, { created: { name: outcome.value.key.name, secret: outcome.value.secret } });
});

// The dead-letter notice's button: the same replay as POST /api/v1/maintenance/replay-dead-letters (one call's worth of
// objects); the page answers with what was replayed and what waits, 503 when D1 still refuses.
keyPages.post('/settings/keys/replay-dead-letters', admin, async (c) => {
  const { replayed, remaining, failedKey } = await replayDeadLetters(c.env);
  const { t, fmt } = c.var;
  const notice = failedKey
    ? fill(t.deadLettersRefused, { objects: fmt.num(replayed.objects) })
    : fill(t.deadLettersReplayed, { objects: fmt.num(replayed.objects), touches: fmt.num(replayed.touches), remaining: fmt.num(remaining.objects) });
  return renderKeys(c, failedKey ? 503 : 200, { notice });
});

// Revoking asks first: the page names the key, says that whoever uses it gets 401 and that it cannot be undone.
keyPages.get('/settings/keys/:id/revoke', admin, async (c) => {
  const key = await findApiKeyById(c.var.db, c.req.param('id'));
  if (!key || key.revokedAt) throw notFound('API key');
  const { t, fmt } = c.var;
  return c.html(
    <ConfirmPage
      lang={c.var.lang}
      t={t}
      csrf={c.var.csrf}
      admin
      path={`/settings/keys/${key.id}/revoke`}
      question={fill(t.cpConfirmRevokeKey, { name: key.name })}
      consequences={[
        fill(t.cpRevokeKeyUse, { prefix: `${key.keyPrefix}…`, scopes: key.scopes.join(', ') }),
        fill(t.cpRevokeKeyLastUsed, { date: key.lastUsedAt ? fmt.date(key.lastUsedAt) : t.never }),
      ]}
      undo={t.cpRevokeKeyFinal}
      action={`/settings/keys/${key.id}/revoke`}
      confirm={t.cpConfirmRevoke}
      cancel="/settings/keys"
    />,
  );
});

keyPages.post('/settings/keys/:id/revoke', admin, async (c) => {
  if (!(await revokeKey(c.var.db, c.req.param('id'), c.var.now()))) throw notFound('API key');
  return redirectLocal(c, withNotice('/settings/keys', 'revoked'));
});
