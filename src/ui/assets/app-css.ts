/** The dashboard's stylesheet, served as /assets/app.css (the CSP allows no inline styles). */
export const APP_CSS = `
:root { --ink: #1d2430; --muted: #5b6577; --line: #d8dde6; --bg: #f6f7f9; --card: #fff; --accent: #2f5fd0; --bad: #a11d1d; --ok: #155d2b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header.top { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; padding: .75rem 1.25rem; background: #1d2430; color: #fff; }
header.top a { color: #fff; text-decoration: none; font-weight: 600; }
header.top a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3em; }
header.top .brand { font-size: 1.1rem; margin-right: auto; }
header.top nav a { margin-right: 1rem; white-space: nowrap; }
header.top form { margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #8a94a6; }
.langs a { font-weight: 400; margin-left: .4rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin-bottom: 1.25rem; }
section.card > h2:first-child { margin-top: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { font-weight: 600; color: var(--muted); font-size: .85rem; }
td.num, th.num { text-align: right; }
.empty { padding: .9rem 1rem; background: #eef3fd; border-radius: .4rem; color: #213a73; }
form.stack { display: grid; gap: .25rem .9rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); align-items: end; }
form.inline { display: inline; margin: 0; }
.field { display: flex; flex-direction: column; gap: .2rem; min-width: 0; }
input[type=file] { max-width: 100%; }
.field.wide { grid-column: 1 / -1; }
fieldset.field { border: 1px solid #c5ccd8; border-radius: .35rem; padding: .4rem .6rem; margin: 0; }
fieldset.checks { flex-direction: row; flex-wrap: wrap; gap: .3rem 1.1rem; }
fieldset.checks label { font-weight: 400; display: inline-flex; align-items: center; gap: .3rem; }
label.check { font-weight: 400; display: flex; gap: .4rem; align-items: center; }
label { font-weight: 600; font-size: .9rem; }
input, select, textarea { font: inherit; padding: .45rem .55rem; border: 1px solid #8a94a6; border-radius: .35rem; background: #fff; color: var(--ink); min-width: 0; }
input[type=color] { padding: .1rem; height: 2.3rem; }
input[aria-invalid=true], select[aria-invalid=true] { border-color: var(--bad); }
.error { color: var(--bad); font-size: .85rem; }
.notice { padding: .6rem .9rem; border-radius: .4rem; background: #fdecec; color: var(--bad); }
form.notice p { margin: 0 0 .5rem; }
.notice.ok { background: #e7f6ec; color: var(--ok); }
button { font: 600 .95rem system-ui, sans-serif; padding: .5rem .95rem; border-radius: .35rem; border: 0; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); border: 1px solid #8a94a6; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .5rem 0; }
.muted { color: var(--muted); }
tfoot tr.totals th, tfoot tr.totals td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 0; color: var(--ink); font-size: inherit; }
span.unconverted { display: block; font-size: .8rem; color: var(--bad); white-space: normal; }
table.rates td form { margin: 0; }
code, output { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; word-break: break-all; }
output.preview { display: block; padding: .5rem .6rem; background: #f0f2f5; border-radius: .35rem; }
output.preview.invalid { color: #b3261e; }
.qr { display: grid; grid-template-columns: minmax(0, 220px) 1fr; gap: 1rem; align-items: start; }
.qr img { width: 100%; max-width: 220px; height: auto; border: 1px solid var(--line); image-rendering: pixelated; background: #fff; }
.chart svg { width: 100%; height: auto; max-height: 320px; }
.chart.enhanced svg { display: none; }
.chart .uplot { font: 12px system-ui, sans-serif; }
.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; list-style: none; padding: 0; margin: .5rem 0 0; }
.legend span.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -.1rem; }
${['#2f5fd0', '#d0452f', '#2f9d5b', '#9b4fd0', '#d09a2f', '#2fa9c4', '#c42f86', '#6b7a2f', '#707a8a', '#3a3a3a']
  .map((colour, index) => `.c${index} { stroke: ${colour}; background: ${colour}; fill: ${colour}; }`)
  .join('\n')}
.chart polyline { fill: none; stroke-width: 2; }
.chart polyline.conv { stroke-dasharray: 5 4; }
.chart line.grid { stroke: var(--line); }
.signin { max-width: 28rem; margin: 3rem auto; }
.range-picker { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: end; }
.presets { display: flex; flex-wrap: wrap; gap: .35rem; }
.presets a, .switch a { padding: .35rem .7rem; border: 1px solid #8a94a6; border-radius: 1rem; text-decoration: none; color: var(--ink); font-size: .9rem; }
.presets a[aria-current], .switch a[aria-current] { background: var(--ink); border-color: var(--ink); color: #fff; }
form.dates, form.model-pick { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: end; margin: 0; }
form.model-pick { margin-top: .75rem; }
.model-about { flex-basis: 100%; margin: .25rem 0 0; font-size: .9rem; }
.utc-note { flex-basis: 100%; margin: 0; font-size: .85rem; }
.chips { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; margin: .75rem 0 0; }
.chips li { padding: .2rem .6rem; background: #eef3fd; border-radius: 1rem; font-size: .9rem; }
.chips a { margin-left: .25rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; list-style: none; padding: 0; margin: 0 0 1.25rem; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; display: flex; flex-direction: column; gap: .15rem; }
.kpi-label { color: var(--muted); font-size: .85rem; font-weight: 600; }
.kpi-value { font-size: 1.5rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.kpi-change { font-size: .8rem; }
.kpi-change.up { color: var(--ok); }
.kpi-change.down { color: var(--bad); }
.card-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; }
.card-head h2 { margin: 0; }
.switch { display: flex; gap: .35rem; }
.bars svg { width: 100%; height: auto; max-height: 320px; margin-top: .5rem; }
.bars text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.bars line.grid { stroke: var(--line); }
.bars rect { stroke: none; }
.bars .partial rect { opacity: .4; }
.bars figcaption { font-size: .85rem; }
.chart-table summary { cursor: pointer; color: var(--accent); font-size: .9rem; margin-top: .25rem; }
.legend.toggles a { text-decoration: none; color: var(--ink); padding: .15rem .3rem; border-radius: .25rem; }
.legend.toggles a.off { color: var(--muted); text-decoration: line-through; }
.legend.toggles a.off .swatch { opacity: .3; }
.top-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 0 1.25rem; }
.top-grid section.card { margin-bottom: 1.25rem; min-width: 0; }
.top-grid h2 { margin-top: 0; }
.models-explained { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
.models-explained dt { font-weight: 600; }
.models-explained dd { margin: 0; }
table.sticky-first th:first-child, table.sticky-first td:first-child { position: sticky; left: 0; background: var(--card); }
.top th[scope=row] { font-weight: 400; color: var(--ink); white-space: normal; overflow-wrap: anywhere; }
a.button { display: inline-block; font: 600 .95rem system-ui, sans-serif; padding: .5rem .95rem; border-radius: .35rem; text-decoration: none; background: var(--accent); color: #fff; }
a.button.secondary { background: #fff; color: var(--ink); border: 1px solid #8a94a6; }
button.danger { background: var(--bad); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
nav.sections { display: flex; flex-wrap: wrap; gap: .35rem; margin: 0 0 1.25rem; padding: 0; border-bottom: 2px solid var(--line); }
nav.sections a { padding: .5rem .8rem; border-radius: .35rem .35rem 0 0; text-decoration: none; font-weight: 600; color: var(--muted); margin-bottom: -2px; border-bottom: 2px solid transparent; }
nav.sections a:hover { color: var(--ink); }
nav.sections a[aria-current="page"] { color: var(--accent); border-bottom-color: var(--accent); background: var(--card); }
.notice.archived { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; background: #fff4e0; color: #6b4100; margin-bottom: 1rem; }
.notice p, .notice output { margin: 0; }
.notice.ok output.preview { margin-top: .4rem; color: var(--ink); }
form.range { display: flex; flex-wrap: wrap; gap: .25rem .9rem; align-items: end; margin-bottom: .75rem; }
form.range .note { flex-basis: 100%; margin: 0; font-size: .85rem; }
table th.key { color: var(--ink); font-weight: 400; font-size: inherit; }
td.row-actions { white-space: normal; min-width: 9rem; }
td.row-actions a { margin-right: .6rem; display: inline-block; }
td.wrap, th.wrap { white-space: normal; overflow-wrap: anywhere; }
tr[aria-current="true"] { background: #eef3fd; }
dl.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .75rem; margin: 0; }
dl.stats .stat { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .75rem; }
dl.stats dt { color: var(--muted); font-size: .85rem; }
dl.stats dd { margin: 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
dl.facts dt { color: var(--muted); font-size: .85rem; margin-top: .4rem; }
dl.facts dd { margin: 0; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0 1.25rem; }
.confirm { max-width: 44rem; }
ul.consequences li { margin: .3rem 0; }
.import-progress { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: center; margin-top: .8rem; }
.import-progress progress { flex: 1 1 12rem; height: 1rem; }
td.status-failed { color: var(--bad); font-weight: 600; }
td.status-created { color: var(--ok); }
.heat { min-width: 5.5rem; }
.heat span { display: block; }
.heat span.rev { font-size: .75rem; }
${['#f3f5f9', '#dde7fb', '#b9cdf5', '#86a8ec', '#3d6acc', '#1f3f8f']
  .map((colour, level) => `.heat.h${level} { background: ${colour}; color: ${level >= 4 ? '#fff' : 'var(--ink)'}; }`)
  .join('\n')}
.legend .swatch.heat { min-width: 0; border: 1px solid var(--line); }
.heat-legend { margin: .75rem 0 0; }
.heat-legend figcaption { font-size: .85rem; color: var(--muted); }
table.rfm-grid td { white-space: normal; font-size: .85rem; }
${Object.entries({
  champions: '#d4efdc',
  loyal: '#e3f5e8',
  potential_loyalists: '#e4edfc',
  new: '#eef3fd',
  promising: '#eef3fd',
  need_attention: '#fff4d6',
  about_to_sleep: '#fff4e0',
  at_risk: '#fde3d3',
  cant_lose_them: '#fbd0c0',
  hibernating: '#eceef2',
  lost: '#dfe2e8',
})
  .map(([segment, colour]) => `table.rfm-grid td.seg-${segment} { background: ${colour}; }`)
  .join('\n')}
@media (max-width: 640px) {
  main { padding: .75rem; }
  header.top { padding: .6rem .75rem; }
  form.stack { grid-template-columns: 1fr; }
  .qr { grid-template-columns: 1fr; }
  th, td { padding: .4rem .45rem; }
  h1 { font-size: 1.3rem; }
  .top-grid { grid-template-columns: 1fr; }
  .models-explained { grid-template-columns: 1fr; }
  .models-explained dd { margin-bottom: .4rem; }
  .kpis { grid-template-columns: 1fr 1fr; }
  .kpi-value { font-size: 1.2rem; }
  .bars .scroll { overflow-x: auto; }
  .bars .scroll svg { min-width: 34rem; }
  nav.sections a { padding: .4rem .55rem; }
  section.card { padding: .8rem .8rem; }
  /* Tables of the campaign and link pages become cards: the row's key cell on top, every other cell labelled. */
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.cards, table.cards tbody, table.cards tr, table.cards th, table.cards td { display: block; width: 100%; }
  table.cards tr { border: 1px solid var(--line); border-radius: .4rem; margin-bottom: .6rem; padding: .3rem .2rem; }
  table.cards th.key { border-bottom: 1px solid var(--line); white-space: normal; font-weight: 600; }
  table.cards td { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 0; white-space: normal; text-align: right; }
  table.cards td::before { content: attr(data-label); color: var(--muted); font-size: .85rem; text-align: left; }
  table.cards td.row-actions { justify-content: flex-start; flex-wrap: wrap; }
  table.cards td.row-actions::before { display: none; }
}
`;
