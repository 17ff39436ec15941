/**
 * The dashboard's script, served as /assets/app.js (the CSP allows no inline
 * scripts). It only enhances pages that work without it:
 * - the UTM builder previews the tracked URL live: it asks the server
 *   (GET /campaigns/:id/preview, services/link-preview.ts), which applies the
 *   same domain rules as the API, so the rule is never copied into the browser;
 * - the QR controls swap the preview image and download links without a reload;
 * - on a link page, uPlot (/assets/uplot.js) redraws each server-rendered SVG
 *   line chart from its data-chart attribute, in the SVG lines' own colours;
 *   the server's legend stays (uPlot's own would say "Time" in any language).
 */
export const APP_JS = `(function () {
  'use strict';

  function setupUtm(form) {
    var out = form.querySelector('output[data-utm-preview]');
    var url = form.getAttribute('data-utm');
    if (!out || !url) return;
    var timer = null;
    var asked = 0;
    function update() {
      var params = new URLSearchParams();
      ['destination', 'kind', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'].forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el) params.set(name, el.value);
      });
      var ticket = ++asked;
      fetch(url + '?' + params.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (preview) {
          // Only the answer to the latest question may write the preview.
          if (!preview || ticket !== asked) return;
          out.textContent = preview.tracked_url || preview.problem || '';
          out.classList.toggle('invalid', !preview.tracked_url && !!preview.problem);
          out.setAttribute('data-channel', preview.channel || '');
        })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(update, 120); }
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }

  function setupQr(form) {
    var img = document.getElementById(form.getAttribute('data-qr-img'));
    var svg = document.getElementById(form.getAttribute('data-qr-svg'));
    var png = document.getElementById(form.getAttribute('data-qr-png'));
    var base = form.getAttribute('data-qr-base');
    function update(event) {
      if (event) event.preventDefault();
      var params = new URLSearchParams();
      ['size', 'ecc', 'fg', 'bg'].forEach(function (name) { params.set(name, form.elements.namedItem(name).value); });
      params.set('format', 'png');
      img.src = base + '?' + params.toString();
      png.href = base + '?' + params.toString() + '&download=1';
      params.set('format', 'svg');
      svg.href = base + '?' + params.toString() + '&download=1';
    }
    form.addEventListener('change', update);
    form.addEventListener('submit', update);
  }

  function setupChart(figure) {
    if (typeof window.uPlot !== 'function') return;
    var spec = JSON.parse(figure.getAttribute('data-chart'));
    var svg = figure.querySelector('svg');
    var locale = document.documentElement.lang === 'de' ? 'de-DE' : 'en-GB';
    var day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    var num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    var xs = spec.days.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var series = [{ value: function (u, v) { return v == null ? '' : day.format(new Date(v * 1000)); } }].concat(spec.series.map(function (s) {
      var line = svg && svg.querySelector('polyline[data-series="' + s.name + '"]');
      return {
        label: s.name,
        stroke: line ? getComputedStyle(line).stroke : '#555',
        width: 2,
        dash: spec.dashed ? [5, 4] : undefined,
        points: { show: xs.length <= 31 },
        value: function (u, v) { return v == null ? '' : num.format(v); },
      };
    }));
    var host = document.createElement('div');
    host.className = 'uplot-host';
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', svg ? svg.getAttribute('aria-label') || '' : '');
    figure.appendChild(host);
    var width = function () { return Math.max(260, figure.clientWidth); };
    var plot = new window.uPlot({
      width: width(),
      height: 240,
      series: series,
      scales: { x: { time: true } },
      // The page's own legend names the series (in the page's language); uPlot adds the cursor.
      legend: { show: false },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return day.format(new Date(t * 1000)); }); } },
        { values: function (u, ticks) { return ticks.map(function (t) { return num.format(t); }); } },
      ],
    }, [xs].concat(spec.series.map(function (s) { return s.values; })), host);
    figure.classList.add('enhanced');
    window.addEventListener('resize', function () { plot.setSize({ width: width(), height: 240 }); });
  }

  // Report days are UTC days: say which time zone the reader is in, so a range reads right.
  document.querySelectorAll('[data-utc-note]').forEach(function (note) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    note.textContent = note.getAttribute('data-utc-note').replace('{zone}', zone);
  });

  document.querySelectorAll('form[data-utm]').forEach(setupUtm);
  document.querySelectorAll('figure[data-chart]').forEach(setupChart);
  document.querySelectorAll('form[data-qr-img]').forEach(setupQr);
})();
`;
