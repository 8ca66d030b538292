// Pantau: the home page map of standards completeness (Apache ECharts, canvas renderer).
// Provinces are coloured by the average completeness of their institutions' published standards;
// a click on a province (or its button in the table) shows its regencies and cities, a click on
// one of those opens the public search for it. The table below the map always holds the same
// numbers (the page renders it for readers without JavaScript; this script keeps it in step).
// The map does not take the mouse wheel or a drag until it is clicked or focused, so scrolling
// the page over it scrolls the page; it lets go when focus leaves it. "Atur ulang peta" puts the
// zoom and position back.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var el = document.getElementById("map");
    if (!el || typeof window.echarts === "undefined" || !window.fetch) { return; }
    var d = el.dataset;
    var table = document.getElementById("map-table");
    var caption = document.getElementById("map-caption");
    var provinceCaption = caption.textContent;
    var back = document.getElementById("map-back");
    var where = document.getElementById("map-where");
    var reset = document.getElementById("map-reset");
    var hint = document.getElementById("map-hint");
    var roaming = false; // wheel zoom and drag only once the map is clicked or focused
    var stats = null;
    var provincesGeo = null;
    var provinceNames = {};
    var current = null; // null: the provinces; otherwise the code of the province shown

    el.hidden = false;
    if (reset) { reset.hidden = false; }
    if (hint) { hint.hidden = false; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });

    function setRoam(on) {
      if (on === roaming) { return; }
      roaming = on;
      el.setAttribute("data-roam", on ? "true" : "false");
      if (last) { chart.setOption({ series: [{ roam: on }] }); }
    }
    el.setAttribute("data-roam", "false");
    el.addEventListener("focus", function () { setRoam(true); });
    el.addEventListener("pointerdown", function () { setRoam(true); });
    el.addEventListener("blur", function () { setRoam(false); });
    document.addEventListener("pointerdown", function (e) {
      if (!el.contains(e.target)) { setRoam(false); }
    });
    function merge(a, b) {
      Object.keys(b).forEach(function (k) { a[k] = b[k]; });
      return a;
    }

    function getJSON(url) {
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
    }

    function searchUrl(province, regency) {
      var url = d.search + "?provinsi=" + encodeURIComponent(province);
      return regency ? url + "&kabupaten=" + encodeURIComponent(regency) : url;
    }

    function rowsOf(geo, level) {
      var bucket = level === "provinces" ? stats.provinces : stats.regencies;
      return geo.features.map(function (f) {
        var s = bucket[f.properties.code];
        return {
          name: f.properties.code, label: f.properties.name,
          value: s ? s.percent : NaN, products: s ? s.products : 0
        };
      });
    }

    function tooltip(p) {
      var row = p.data || {};
      var text = row.products ? row.value + "% · " + row.products + " " + d.labelProducts : d.labelNone;
      return (row.label || p.name) + "\n" + text;
    }

    function cell(tag, text) {
      var c = document.createElement(tag);
      c.textContent = text;
      return c;
    }

    // The page's own rows (every province, for readers without JavaScript) get a drill-down
    // button; a province's regencies go into a second body that replaces them while shown.
    var provinceBody = table.tBodies[0];
    var regencyBody = document.createElement("tbody");
    regencyBody.hidden = true;
    table.appendChild(regencyBody);
    Array.prototype.forEach.call(provinceBody.rows, function (tr) {
      var code = tr.getAttribute("data-code");
      var th = tr.cells[0];
      var button = cell("button", d.labelDrill);
      button.type = "button";
      button.className = "secondary drill";
      button.setAttribute("aria-label", d.labelDrillOf + " " + th.textContent.trim());
      button.title = button.getAttribute("aria-label");
      button.addEventListener("click", function () { drill(code, true); });
      th.appendChild(button);
    });

    function fillRegencies(rows) {
      while (regencyBody.firstChild) { regencyBody.removeChild(regencyBody.firstChild); }
      rows.forEach(function (row) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-code", row.name);
        var th = document.createElement("th");
        th.setAttribute("scope", "row");
        var link = cell("a", row.label);
        link.href = searchUrl(current, row.name);
        th.appendChild(link);
        tr.appendChild(th);
        tr.appendChild(cell("td", String(row.products)));
        tr.appendChild(cell("td", row.products ? row.value + "%" : "\u2014"));
        regencyBody.appendChild(tr);
      });
      provinceBody.hidden = true;
      regencyBody.hidden = false;
    }

    // The largest placement that keeps the map's proportions: limited by the height of the
    // container when it is wider than the map, by its width otherwise (ECharts keeps the aspect
    // ratio only when one of the two is left free).
    function placement(geo) {
      var box = [Infinity, Infinity, -Infinity, -Infinity];
      (function walk(c) {
        if (typeof c[0] === "number") {
          box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
          box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
        } else { c.forEach(walk); }
      })(geo.features.map(function (f) { return f.geometry.coordinates; }));
      var aspect = geo.features.length ? (box[2] - box[0]) / Math.max(box[3] - box[1], 1e-6) * 0.75 : 1;
      var width = el.clientWidth - 8, height = el.clientHeight - 52;
      if (width / Math.max(height, 1) > aspect) {
        return { top: 4, bottom: 48, left: "center" };
      }
      return { left: 4, right: 4, top: "middle" };
    }

    var last = null; // the arguments of the last draw(), to place the map again on a resize
    var lastSize = "";
    window.addEventListener("resize", function () {
      var size = el.clientWidth + "x" + el.clientHeight; // phones also resize when the URL bar hides
      if (size === lastSize) { return; }
      lastSize = size;
      chart.resize();
      if (last) { draw.apply(null, last); }
    });

    function draw(mapName, geo, level) {
      window.echarts.registerMap(mapName, geo);
      last = [mapName, geo, level];
      lastSize = el.clientWidth + "x" + el.clientHeight;
      var rows = rowsOf(geo, level);
      chart.setOption({
        tooltip: { trigger: "item", renderMode: "richText", formatter: tooltip },
        visualMap: {
          type: "continuous", min: 0, max: 100, text: ["100%", "0%"], calculable: false,
          inRange: { color: ["#deebf7", "#9ecae1", "#4292c6", "#08519c"] },
          orient: "horizontal", left: "center", bottom: 0, itemWidth: 10, itemHeight: 120,
          textStyle: { color: "#1b1f24" }
        },
        series: [merge({
          type: "map", map: mapName, nameProperty: "code", roam: roaming, data: rows,
          label: { show: false },
          itemStyle: { areaColor: "#e6e9ed", borderColor: "#ffffff", borderWidth: 0.6 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffbf47" } },
          select: { disabled: true }
        }, placement(geo))]
      }, { replaceMerge: ["series"] });
      el.setAttribute("data-level", level);
      el.setAttribute("data-shown", current || "");
      if (level === "provinces") {
        provinceBody.hidden = false;
        regencyBody.hidden = true;
      } else {
        fillRegencies(rows);
      }
    }

    function showProvinces() {
      current = null;
      back.hidden = true;
      where.textContent = d.labelWhereAll;
      caption.textContent = provinceCaption;
      draw("pantau-provinces", provincesGeo, "provinces");
    }

    function fail(error) {
      el.hidden = true;
      where.textContent = d.labelError;
      if (window.console) { window.console.warn(error); }
    }

    function drill(code, fromKeyboard) {
      getJSON(d.regencies.replace("__code__", code)).then(function (geo) {
        current = code;
        back.hidden = false;
        where.textContent = d.labelWhereProvince + " " + (provinceNames[code] || code);
        caption.textContent = where.textContent;
        draw("pantau-" + code, geo, "regencies");
        if (fromKeyboard) { back.focus(); }
      }).catch(fail);
    }

    chart.on("click", function (p) {
      if (!p.data) { return; }
      if (current === null) {
        drill(p.data.name, false);
      } else {
        window.location.assign(searchUrl(current, p.data.name));
      }
    });
    back.addEventListener("click", showProvinces);
    if (reset) {
      reset.addEventListener("click", function () { if (last) { draw.apply(null, last); } });
    }

    Promise.all([getJSON(d.provinces), getJSON(d.completeness)]).then(function (results) {
      provincesGeo = results[0];
      stats = results[1];
      provincesGeo.features.forEach(function (f) { provinceNames[f.properties.code] = f.properties.name; });
      showProvinces();
      el.setAttribute("data-ready", "true");
    }).catch(fail);
  });
})();
