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
header.top nav a { margin-right: 1rem; }
header.top form { margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #8a94a6; }
.langs a { font-weight: 400; margin-left: .4rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin-bottom: 1.25rem; }
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
label.check { font-weight: 400; display: flex; gap: .4rem; align-items: center; }
label { font-weight: 600; font-size: .9rem; }
input, select, textarea { font: inherit; padding: .45rem .55rem; border: 1px solid #8a94a6; border-radius: .35rem; background: #fff; color: var(--ink); min-width: 0; }
input[type=color] { padding: .1rem; height: 2.3rem; }
input[aria-invalid=true], select[aria-invalid=true] { border-color: var(--bad); }
.error { color: var(--bad); font-size: .85rem; }
.notice { padding: .6rem .9rem; border-radius: .4rem; background: #fdecec; color: var(--bad); }
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
.chart.enhanced svg, .chart.enhanced ~ .legend { display: none; }
.chart .uplot { font: 12px system-ui, sans-serif; }
.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; list-style: none; padding: 0; margin: .5rem 0 0; }
.legend span.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -.1rem; }
${['#2f5fd0', '#d0452f', '#2f9d5b', '#9b4fd0', '#d09a2f', '#2fa9c4', '#c42f86', '#6b7a2f', '#707a8a', '#3a3a3a']
  .map((colour, index) => `.c${index} { stroke: ${colour}; background: ${colour}; }`)
  .join('\n')}
.chart polyline { fill: none; stroke-width: 2; }
.chart polyline.conv { stroke-dasharray: 5 4; }
.chart line.grid { stroke: var(--line); }
.signin { max-width: 28rem; margin: 3rem auto; }
@media (max-width: 640px) {
  main { padding: .75rem; }
  header.top { padding: .6rem .75rem; }
  form.stack { grid-template-columns: 1fr; }
  .qr { grid-template-columns: 1fr; }
  th, td { padding: .4rem .45rem; }
  h1 { font-size: 1.3rem; }
}
`;
