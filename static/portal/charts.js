/* Trend charts: every <figure data-chart="id"> holds a JSON data block with the same id
   ({"x": [unix seconds], "x_label": "…", "series": [{"label", "values"}]}) and becomes a
   uPlot chart. Dates read day/month, as in Indonesia. */
(function () {
  "use strict";
  var palette = ["#0b4f8a", "#c2410c", "#15803d", "#7c3aed", "#b91c1c"];

  function draw(figure) {
    if (figure.dataset.drawn) { return; }
    var block = document.getElementById(figure.dataset.chart);
    if (!block || !window.uPlot) { return; }
    var data = JSON.parse(block.textContent);
    var dayMonth = window.uPlot.fmtDate("{D}/{M}");
    var fullDate = window.uPlot.fmtDate("{D}/{M}/{YYYY}");
    var series = [{ label: data.x_label || "", value: function (u, v) { return v == null ? "–" : fullDate(new Date(v * 1000)); } }]
      .concat(data.series.map(function (s, i) {
        return { label: s.label, stroke: palette[i % palette.length], width: 2 };
      }));
    var axes = [{ values: function (u, splits) { return splits.map(function (v) { return dayMonth(new Date(v * 1000)); }); } }, {}];
    var width = Math.max(figure.clientWidth - 8, 280);
    new window.uPlot({ width: width, height: 220, series: series, axes: axes },
                     [data.x].concat(data.series.map(function (s) { return s.values; })), figure);
    figure.dataset.drawn = "1";
  }

  function drawAll(root) {
    (root || document).querySelectorAll("figure[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
