/**
 * The import page's script, served as /assets/import.js. The page works
 * without it (the form posts the whole file); with it the browser splits the
 * file into parts of a few hundred records (the header repeated in each),
 * posts them one after another to the import API mounted for the session
 * (/imports/data/links|conversions, CSRF token in a header), shows a progress
 * bar and fills the results table, failed rows first, offered as a CSV
 * download. A header refusal (unknown column …) comes with the first part,
 * before anything is written (a stray quote further down stops the upload at
 * its part; docs/DESIGN.md). Records are split on line breaks outside
 * quotes, so the server's row numbers map back to the file's.
 */
import { FORMULA_START, NEEDS_QUOTES, PLAIN_NUMBER } from '../../lib/csv';

export const IMPORT_JS = String.raw`(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form || !window.fetch || !window.Blob) return;
  var base = form.getAttribute('data-import');
  var chunks = JSON.parse(form.getAttribute('data-chunks'));
  var texts = JSON.parse(form.getAttribute('data-texts'));
  var csrf = form.elements.namedItem('_csrf').value;
  var progress = document.getElementById('import-progress');
  var bar = document.getElementById('import-bar');
  var status = document.getElementById('import-status');
  var section = document.getElementById('import-results');
  var table = document.getElementById('import-table');
  var tbody = table.querySelector('tbody');
  var download = document.getElementById('import-download');
  var labels = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent; });
  var results = [];

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) { return key in values ? String(values[key]) : match; });
  }

  // The file's records as raw text with the line each starts on; blank lines skipped, as the server does.
  function records(text) {
    var out = [];
    var start = 0;
    var line = 1;
    var startLine = 1;
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (ch === '"') quoted = !quoted;
      else if (ch === '\n' || ch === '\r') {
        var lineBreak = ch === '\n' || text[i + 1] !== '\n';
        if (quoted) {
          if (lineBreak) line++;
          continue;
        }
        var raw = text.slice(start, i);
        if (raw.trim() !== '') out.push({ text: raw, line: startLine });
        if (!lineBreak) i++;
        line++;
        start = i + 1;
        startLine = line;
      }
    }
    var rest = text.slice(start);
    if (rest.trim() !== '') out.push({ text: rest, line: startLine });
    return out;
  }

  function counts() {
    var c = { rows: results.length, created: 0, duplicate: 0, failed: 0 };
    results.forEach(function (row) { c[row.status]++; });
    return c;
  }

  function ordered() {
    return results.filter(function (row) { return row.status === 'failed'; }).concat(results.filter(function (row) { return row.status !== 'failed'; }));
  }

  function cell(tr, label, text, className) {
    var td = document.createElement('td');
    td.setAttribute('data-label', label);
    if (className) td.className = className;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function render() {
    tbody.textContent = '';
    var fragment = document.createDocumentFragment();
    ordered().forEach(function (row) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-status', row.status);
      cell(tr, labels[0], String(row.row), 'num');
      cell(tr, labels[1], String(row.line), 'num');
      cell(tr, labels[2], texts.statuses[row.status], 'status-' + row.status);
      var id = cell(tr, labels[3], '');
      if (row.id) {
        var code = document.createElement('code');
        code.textContent = row.id;
        id.appendChild(code);
      }
      cell(tr, labels[4], row.error ? row.error.code + ': ' + row.error.message : '');
      fragment.appendChild(tr);
    });
    tbody.appendChild(fragment);
    section.hidden = results.length === 0;
    download.hidden = results.length === 0;
  }

  // A CSV field a spreadsheet reads as text: formulas neutralised, separators and quotes quoted (lib/csv.ts's rules).
  function csvField(value) {
    var text = value == null ? '' : String(value);
    if (${FORMULA_START}.test(text) && !${PLAIN_NUMBER}.test(text)) text = "'" + text;
    return ${NEEDS_QUOTES}.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  download.addEventListener('click', function () {
    var lines = [['row', 'line', 'status', 'id', 'error_code', 'error_message']].concat(ordered().map(function (row) {
      return [row.row, row.line, row.status, row.id, row.error && row.error.code, row.error && row.error.message];
    }));
    var blob = new Blob([lines.map(function (line) { return line.map(csvField).join(',') + '\r\n'; }).join('')], { type: 'text/csv' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'import-results.csv';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  async function run(kind, file) {
    var text = await file.text();
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    var all = records(text);
    var header = all.length > 0 ? all[0].text : '';
    var data = all.slice(1);
    var size = chunks[kind] || 50;
    var total = data.length;
    var done = 0;
    progress.hidden = false;
    bar.max = Math.max(total, 1);
    bar.value = 0;
    status.className = '';
    status.textContent = fill(texts.running, { done: 0, total: total });
    try {
      // A file without data rows is still sent once: the server checks its header.
      do {
        var part = data.slice(done, done + size);
        var body = header + '\r\n' + part.map(function (record) { return record.text + '\r\n'; }).join('');
        var response = await fetch(base + kind, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'text/csv; charset=utf-8', 'X-CSRF-Token': csrf, Accept: 'application/json' },
          body: body,
        });
        if (response.redirected || (response.headers.get('Content-Type') || '').indexOf('application/json') !== 0) throw new Error(texts.sessionEnded);
        var answer = await response.json();
        if (!response.ok) throw new Error(answer.error ? answer.error.message : String(response.status));
        answer.results.forEach(function (row) {
          var record = data[done + row.row - 1];
          results.push({ row: done + row.row, line: record ? record.line : row.line, status: row.status, id: row.id, error: row.error });
        });
        done += part.length;
        bar.value = done;
        status.textContent = fill(texts.running, { done: done, total: total });
      } while (done < total);
      status.className = 'notice ok';
      status.textContent = fill(texts.finished, counts());
    } catch (error) {
      status.className = 'notice';
      status.textContent = fill(texts.stopped, { done: done, total: total }) + ' ' + error.message;
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.namedItem('file').files[0];
    var checked = form.querySelector('input[name="kind"]:checked');
    if (!file) {
      status.className = 'notice';
      status.textContent = texts.noFile;
      return;
    }
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    // The previous run's outcome goes at once, before the file is read: what the status says is about this run.
    status.className = '';
    status.textContent = '';
    results = [];
    render();
    run(checked ? checked.value : 'links', file).then(function () {
      render();
      button.disabled = false;
    });
  });
})();
`;
