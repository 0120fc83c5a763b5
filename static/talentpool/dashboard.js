// The talent pool dashboard's charts (templates/talentpool/dashboard.html): drawn by the vendored ECharts from the
// page's JSON (#dashboard-data); every number is also in the table under its chart, so nothing depends on this.
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    function chartOf(name) {
      var node = document.querySelector('[data-chart="' + name + '"]');
      if (!node) { return null; }
      var chart = window.echarts.init(node, null, { renderer: "canvas" });
      charts.push(chart);
      return chart;
    }
    // A gap's colours are centred on 0 (neither short nor surplus: the neutral colour), shortage red, surplus blue.
    function symmetric(values) {
      var m = Math.max.apply(null, values.map(Math.abs).concat([1]));
      return [-m, m];
    }
    var labels = { gap: "缺口", demand: "需求人数", pool: "在库人才", graduates: "近三年毕业生" };
    var select = document.querySelector("[data-chart-measure]");
    var map = chartOf("map");
    function drawMap(measure) {
      var values = data.tiles.map(function (t) { return t[measure]; });
      var range = measure === "gap" ? symmetric(values) : [0, Math.max.apply(null, values.concat([1]))];
      var low = range[0], high = range[1];
      var columns = [], rows = [];
      for (var c = 0; c < data.grid[0]; c++) { columns.push(String(c)); }
      for (var r = 0; r < data.grid[1]; r++) { rows.push(String(r)); }
      map.setOption({
        tooltip: { renderMode: "richText", formatter: function (p) { return p.data.name + " " + labels[measure] + "：" + p.data.value[2]; } },
        grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: false },
        xAxis: { type: "category", data: columns, show: false },
        yAxis: { type: "category", data: rows, show: false, inverse: true },
        visualMap: { min: low, max: high, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                     inRange: { color: measure === "gap" ? ["#2b83ba", "#f7f7f7", "#d7191c"] : ["#f7fbff", "#08519c"] } },
        series: [{ type: "heatmap", itemStyle: { borderColor: "#fff", borderWidth: 3 },
                   label: { show: true, formatter: function (p) { return p.data.name + "\n" + p.data.value[2]; } },
                   data: data.tiles.map(function (t) { return { name: t.label, value: [t.column, t.row, t[measure]] }; }) }]
      }, true);
    }
    if (map) {
      drawMap(select ? select.value : "gap");
      if (select) { select.addEventListener("change", function () { drawMap(select.value); }); }
    }
    var chains = chartOf("chains");
    if (chains) {
      chains.setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { data: ["需求", "供给"] },
        grid: { left: 8, right: 8, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.chains.map(function (c) { return c.label; }), axisLabel: { interval: 0, rotate: 40 } },
        yAxis: { type: "value" },
        series: [{ name: "需求", type: "bar", data: data.chains.map(function (c) { return c.demand; }) },
                 { name: "供给", type: "bar", data: data.chains.map(function (c) { return c.supply; }) }]
      });
    }
    var matrix = chartOf("matrix");
    if (matrix) {
      var cells = [], all = [];
      data.matrix.forEach(function (row, y) { row.gaps.forEach(function (g, x) { cells.push([x, y, g]); all.push(g); }); });
      matrix.setOption({
        tooltip: { renderMode: "richText" }, grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: data.cities, axisLabel: { interval: 0, rotate: 40 } },
        yAxis: { type: "category", data: data.matrix.map(function (m) { return m.chain; }), inverse: true },
        visualMap: { min: symmetric(all)[0], max: symmetric(all)[1], orient: "horizontal",
                     left: "center", bottom: 0, inRange: { color: ["#2b83ba", "#f7f7f7", "#d7191c"] } },
        series: [{ type: "heatmap", data: cells, label: { show: true } }]
      });
    }
    var outcomes = chartOf("outcomes");
    if (outcomes) {
      outcomes.setOption({
        tooltip: { renderMode: "richText" }, grid: { left: 8, right: 8, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.outcomes.map(function (o) { return o.label; }) }, yAxis: { type: "value" },
        series: [{ type: "bar", data: data.outcomes.map(function (o) { return o.count; }) }]
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
