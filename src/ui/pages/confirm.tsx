/**
 * The confirm step of an action that stops something (archive a campaign or a
 * link, revoke a key): a server-rendered page that says what will happen, with
 * a CSRF-protected form that does it and a way back. No script needed.
 */
import type { Lang, Texts } from '../i18n';
import { Csrf, Layout } from '../layout';

export interface ConfirmView {
  lang: Lang;
  t: Texts;
  csrf: string;
  admin?: boolean;
  /** The page's path (navigation and the language switch). */
  path: string;
  question: string;
  /** What will happen, one sentence each. */
  consequences: string[];
  /** Whether and how it can be undone. */
  undo: string;
  action: string;
  confirm: string;
  cancel: string;
}

export function ConfirmPage(view: ConfirmView) {
  const { t } = view;
  return (
    <Layout lang={view.lang} t={t} title={view.question} path={view.path} csrf={view.csrf} admin={view.admin}>
      <section class="card confirm" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{view.question}</h1>
        <p>{t.cpWillHappen}</p>
        <ul class="consequences">
          {view.consequences.map((text) => (
            <li>{text}</li>
          ))}
        </ul>
        <p class="muted">{view.undo}</p>
        <form class="actions" method="post" action={view.action}>
          <Csrf token={view.csrf} />
          <button type="submit" class="danger">
            {view.confirm}
          </button>
          <a href={view.cancel}>{t.cpCancel}</a>
        </form>
      </section>
    </Layout>
  );
}

/** A one-line notice after an action (from `?notice=`), or nothing. */
export const Notice = (props: { text: string | null }) =>
  props.text ? (
    <p class="notice ok" role="status">
      {props.text}
    </p>
  ) : null;
