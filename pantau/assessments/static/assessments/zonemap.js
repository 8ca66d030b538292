// Pantau: the results page's map of zones per province (or per regency/city of one province) (Apache ECharts, canvas renderer), drawn
// from the table the page already holds (#zone-map-data: the same numbers, for readers without
// JavaScript). Colours are the colour-blind-safe ones of results.css; the zone is also written in
// the tooltip, the legend and the table.
(function () {
  "use strict";
  var COLOURS = { green: "#009e73", yellow: "#f0e442", red: "#d55e00" };
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var el = document.getElementById("zone-map");
    var source = document.getElementById("zone-map-data");
    if (!el || !source || typeof window.echarts === "undefined" || !window.fetch) { return; }
    var rows = JSON.parse(source.textContent);
    var byCode = {};
    rows.forEach(function (r) { byCode[r.code] = r; });
    fetch(el.dataset.geo, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (geo) {
        el.hidden = false;
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        window.echarts.registerMap("pantau-zones", geo);
        var data = geo.features.map(function (f) {
          var row = byCode[f.properties.code];
          return {
            name: f.properties.code, label: f.properties.name, row: row || null,
            itemStyle: row ? { areaColor: COLOURS[row.zone] || "#e6e9ed" } : undefined
          };
        });
        chart.setOption({
          tooltip: {
            trigger: "item", renderMode: "richText",
            formatter: function (p) {
              var d = p.data || {};
              return (d.label || p.name) + (d.row ? "\n" + d.row.zone_label + " · " + d.row.mean + " · " + d.row.count : "");
            }
          },
          series: [{
            type: "map", map: "pantau-zones", nameProperty: "code", roam: false, data: data,
            label: { show: false }, select: { disabled: true },
            itemStyle: { areaColor: "#e6e9ed", borderColor: "#1b1f24", borderWidth: 0.4 },
            emphasis: { label: { show: false }, itemStyle: { borderWidth: 1.5 } }
          }]
        });
        window.addEventListener("resize", function () { chart.resize(); });
        el.setAttribute("data-ready", "true");
      })
      .catch(function (e) { el.hidden = true; if (window.console) { window.console.warn(e); } });
  });
})();
