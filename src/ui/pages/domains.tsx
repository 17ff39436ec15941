/** `/settings/domains`: the branded domains (hostname, links, app links), a form to add one, remove buttons. */
import type { Domain } from '../../db/domains';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import { Notice } from './confirm';
import { DataTable, FormError, type PageView, PostButton, Submit } from './parts';
import { SettingsTabs } from './settings-tabs';

export interface DomainsView extends PageView {
  domains: Array<{ domain: Domain; links: number }>;
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | null;
}

export function DomainsPage(view: DomainsView) {
  const { t, fmt } = view;
  const errors = view.errors ?? {};
  const appLinks = (domain: Domain) => [domain.apple && 'iOS', domain.android && 'Android'].filter(Boolean).join(', ') || t.appLinksNone;
  return (
    <Layout lang={view.lang} t={t} title={t.domainsTitle} path="/settings/domains" csrf={view.csrf} admin={view.admin}>
      <h1>{t.domainsTitle}</h1>
      <SettingsTabs t={t} path="/settings/domains" />
      <p class="muted">{t.domainsIntro}</p>
      <Notice text={view.notice ?? null} />
      <section class="card" aria-labelledby="domains-title">
        <h2 id="domains-title">{t.navDomains}</h2>
        <FormError error={errors.remove} />
        <DataTable
          id="domains"
          rows={view.domains}
          empty={t.noDomains}
          columns={[
            { label: t.hostname },
            { label: t.domainLinks, num: true },
            { label: t.appLinks },
            { label: t.created },
            { label: t.removeDomain, muted: true },
          ]}
          row={({ domain, links }) => (
            <tr data-domain={domain.hostname}>
              <td>
                <code>{domain.hostname}</code>
              </td>
              <td class="num">{fmt.num(links)}</td>
              <td>{appLinks(domain)}</td>
              <td>{fmt.date(domain.createdAt)}</td>
              <td>
                {links === 0 && (
                  <PostButton
                    action={`/settings/domains/${domain.id}/remove`}
                    csrf={view.csrf}
                    label={t.removeDomain}
                    ariaLabel={`${t.removeDomain}: ${domain.hostname}`}
                  />
                )}
              </td>
            </tr>
          )}
        />
        <p class="muted">{t.appLinksHelp}</p>
      </section>
      <section class="card" aria-labelledby="new-domain-title">
        <h2 id="new-domain-title">{t.addDomain}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action="/settings/domains">
          <Csrf token={view.csrf} />
          <Field name="hostname" label={t.hostname} value={view.values?.hostname} error={errors.hostname} required attrs={{ placeholder: t.hostnameHelp }} />
          <Submit label={t.addDomain} />
        </form>
      </section>
    </Layout>
  );
}
