// SPDX-License-Identifier: Apache-2.0
// Arbiter console: progressive enhancement only (every page works without it). Draws the charts
// whose data the server put in data-chart attributes (uPlot); htmx does the live updates.
(function () {
  "use strict";
  var palette = ["#0b57a4", "#b35c00", "#17663a", "#a3161c", "#5b3a9e", "#00707a"];

  function draw(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") {
      return;
    }
    var data;
    try {
      data = JSON.parse(el.dataset.chart);
    } catch (e) {
      return;
    }
    var columns = [data.x];
    var series = [{}];
    data.series.forEach(function (s, i) {
      columns.push(s.values);
      series.push({ label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: false });
    });
    var width = Math.max(240, el.clientWidth || 320);
    el.dataset.drawn = "1";
    new uPlot({
      width: width,
      height: 180,
      series: series,
      axes: [{}, { size: 50 }],
      legend: { show: true }
    }, columns, el);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
