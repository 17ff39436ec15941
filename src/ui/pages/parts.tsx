/**
 * Markup the dashboard's pages share, each rule in one place: a titled card,
 * a data table (its empty state, column heads, rows that turn into labelled
 * cards on phones with `class="cards"`), its cells, a one-button form that
 * posts (restore, delete) and the parts of a form (its error, its button).
 */
import type { Child } from 'hono/jsx';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf } from '../layout';

/** What every dashboard page's view carries. */
export interface PageView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  /** The navigation shows the admin pages. */
  admin?: boolean;
}

/** A card section titled by its h2 (`<id>-title`). */
export const Card = (props: { id: string; title: Child; children?: Child }) => (
  <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
    <h2 id={`${props.id}-title`}>{props.title}</h2>
    {props.children}
  </section>
);

/** A column head: `num` right-aligns a column of figures, `muted` greys a column of buttons. */
export interface Column {
  label: Child;
  num?: boolean;
  muted?: boolean;
}

/**
 * The empty state, or a scrollable table of `rows` with its column heads
 * (columns given as false are left out) and `intro` above it.
 */
export function DataTable<Row>(props: {
  rows: readonly Row[];
  empty: Child;
  columns: Array<Column | false>;
  row: (row: Row) => Child;
  /** `cards`: on phones each row is a card of labelled cells (`data-label`). */
  class?: string;
  id?: string;
  intro?: Child;
}) {
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <>
      {props.intro}
      <div class="table-wrap">
        <table class={props.class} id={props.id}>
          <thead>
            <tr>
              {props.columns.map(
                (column) =>
                  column && (
                    <th scope="col" class={column.num ? 'num' : undefined}>
                      {column.muted ? <span class="muted">{column.label}</span> : column.label}
                    </th>
                  ),
              )}
            </tr>
          </thead>
          <tbody>{props.rows.map(props.row)}</tbody>
        </table>
      </div>
    </>
  );
}

/** The row's own cell (its name), heading the row. */
export const KeyCell = (props: { children?: Child }) => (
  <th scope="row" class="key">
    {props.children}
  </th>
);

/**
 * A cell: `label` names it on a phone's card, `col` and `metric` mark it for
 * scripts and tests, `num` right-aligns a figure.
 */
export function Cell(props: { label?: string; num?: boolean; class?: string; col?: string; metric?: string; children?: Child }) {
  const classes = [props.num && 'num', props.class].filter(Boolean).join(' ');
  return (
    <td class={classes || undefined} data-label={props.label} data-col={props.col} data-metric={props.metric}>
      {props.children}
    </td>
  );
}

/** A column of figures: its cells' `data-metric`, their label, its head (default the label), how a row's figures show. */
export interface Figure<F> {
  metric: string;
  label: string;
  head?: string;
  show: (figures: F) => string;
}

/** The heads of figure columns. */
export const figureColumns = <F,>(figures: Figure<F>[]): Column[] => figures.map((figure) => ({ label: figure.head ?? figure.label, num: true }));

/** A row's figure cells, a dash each when the row has no figures (the session may not read reports). */
export const FigureCells = <F,>(props: { figures: Figure<F>[]; of: F | null }) => (
  <>
    {props.figures.map((figure) => (
      <Cell num label={figure.label} metric={figure.metric}>
        {props.of ? figure.show(props.of) : '–'}
      </Cell>
    ))}
  </>
);

/** A one-button form that posts with its CSRF token and `hidden` fields (restore, delete). */
export function PostButton(props: { action: string; csrf: string; hidden?: Record<string, string>; label: string; ariaLabel?: string }) {
  return (
    <form class="inline" method="post" action={props.action}>
      <Csrf token={props.csrf} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="secondary" aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

/** A form's error that belongs to no one field, or nothing; `wide` spans a form's grid. */
export const FormError = (props: { error?: string; wide?: boolean; id?: string }) =>
  props.error ? (
    <p class={props.wide ? 'notice field wide' : 'notice'} role="alert" id={props.id}>
      {props.error}
    </p>
  ) : null;

/** A form's submit button in its own field. */
export const Submit = (props: { label: string; secondary?: boolean }) => (
  <div class="field">
    <button type="submit" class={props.secondary ? 'secondary' : undefined}>
      {props.label}
    </button>
  </div>
);

/** A three-letter currency code field's input attributes: no autocorrect or autofill. */
export const CODE_ATTRS = { maxlength: 3, autocapitalize: 'characters', autocomplete: 'off' };

/** A whole-file CSV upload without script: its error, a file field and the button (the page reads `file`). */
export const CsvUpload = (props: { action: string; id: string; csrf: string; fileLabel: string; submit: string; error?: string; accept: string }) => (
  <>
    <FormError error={props.error} id="import-error" />
    <form class="stack" method="post" action={props.action} enctype="multipart/form-data" id={props.id}>
      <Csrf token={props.csrf} />
      <div class="field wide">
        <label for="f-file">{props.fileLabel}</label>
        <input id="f-file" name="file" type="file" accept={props.accept} required />
      </div>
      <Submit label={props.submit} />
    </form>
  </>
);
