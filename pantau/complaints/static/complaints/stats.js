// Pantau: the bar charts of the complaint SLA dashboard and statistics (Apache ECharts, canvas renderer),
// drawn from the JSON the page holds beside each table (the same numbers, for readers without JavaScript).
(function () {
  "use strict";
  var COLOURS = ["#0072b2", "#e69f00", "#d55e00", "#009e73", "#cc79a7"];
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    if (typeof window.echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      if (!data.labels || !data.labels.length) { return; }
      el.hidden = false;
      el.style.height = Math.max(220, 28 * data.labels.length + 80) + "px";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        color: COLOURS,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
        legend: { show: data.series.length > 1, top: 0 },
        grid: { left: 8, right: 24, top: data.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
        series: data.series.map(function (s) { return { type: "bar", name: s.name, data: s.values }; })
      });
      charts.push(chart);
      el.setAttribute("data-ready", "true");
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
