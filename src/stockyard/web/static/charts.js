/* Draws every <canvas data-chart="…"> from the JSON in the <script id="<canvas id>-data"> beside
   it. Chart.js and its date adapter are vendored (static/vendor), so this works offline. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var css = getComputedStyle(document.documentElement);
  function color(name, fallback) { return (css.getPropertyValue(name) || fallback).trim() || fallback; }
  var PARTY = { D: color("--dem", "#1f5fbf"), R: color("--rep", "#b42318"), I: color("--ind", "#6b4fa3"), L: color("--ind", "#6b4fa3") };
  var BUY = color("--buy", "#176f2c");
  var SELL = color("--sell", "#a4161a");
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  // Reduced motion: draw at once (also makes screenshots deterministic).
  Chart.defaults.animation = false;

  function money(value) {
    var abs = Math.abs(value);
    if (abs >= 1e9) { return "$" + (value / 1e9).toFixed(1) + "B"; }
    if (abs >= 1e6) { return "$" + (value / 1e6).toFixed(1) + "M"; }
    if (abs >= 1e3) { return "$" + (value / 1e3).toFixed(0) + "K"; }
    return "$" + Math.round(value);
  }

  // Trade counts are whole numbers: no axis step finer than one trade.
  var builders = {
    histogram: function (data, label) {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: label, data: data.values, backgroundColor: "#0b5cad" }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: "Trades" }, ticks: { precision: 0 } }, x: { title: { display: true, text: "Days from trade to disclosure" } } } }
      };
    },
    flows: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.datasets.map(function (set) {
            var base = PARTY[set.party] || "#57606a";
            // Sales in the party's colour, lighter: one bar per month, purchases up, sales down.
            return { label: set.label, data: set.data, backgroundColor: set.kind === "sell" ? base + "80" : base };
          })
        },
        options: {
          scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "Trades (sales below zero)" }, ticks: { precision: 0, callback: function (v) { return Math.abs(v); } } } },
          plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + Math.abs(ctx.parsed.y); } } } }
        }
      };
    },
    // A follow-the-filings portfolio: the public copy's band range as a shaded area (floor to
    // ceiling), its midpoint, the member's own timing and the same money in the benchmark.
    portfolio: function (data) {
      var line = function (label, points, extra) {
        return Object.assign({ type: "line", label: label, data: points, pointRadius: 0, borderWidth: 1.5 }, extra || {});
      };
      return {
        type: "line",
        data: {
          datasets: [
            line("Public copy, band floor", data.low, { borderColor: "rgba(11,92,173,0.25)", borderWidth: 0, fill: false }),
            line("Public copy, band range", data.high, { borderColor: "rgba(11,92,173,0.25)", borderWidth: 0, backgroundColor: "rgba(11,92,173,0.18)", fill: "-1" }),
            line("Public copy (midpoint)", data.mid, { borderColor: "#0b5cad", borderWidth: 2 }),
            line("Member's own timing (midpoint)", data.insider, { borderColor: "#b35c00", borderDash: [6, 3] }),
            line("Same money in " + data.benchmark_name, data.benchmark, { borderColor: "#57606a" })
          ]
        },
        options: {
          parsing: true,
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { type: "time", time: { unit: "month" }, title: { display: true, text: "Trading day" } },
            y: { title: { display: true, text: "Value (USD)" }, ticks: { callback: function (v) { return money(v); } } }
          },
          plugins: {
            legend: { labels: { filter: function (item) { return item.text !== "Public copy, band floor"; } } },
            tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + money(ctx.parsed.y); } } }
          }
        }
      };
    },
    ticker: function (data) {
      var datasets = [];
      if (data.prices.length) {
        datasets.push({ type: "line", label: "Daily close", data: data.prices, borderColor: "#57606a", borderWidth: 1.5, pointRadius: 0, order: 2 });
      }
      datasets.push({ type: "scatter", label: "Purchases", data: data.buys, backgroundColor: BUY, pointStyle: "triangle", pointRadius: 6, order: 1 });
      datasets.push({ type: "scatter", label: "Sales", data: data.sells, backgroundColor: SELL, pointStyle: "triangle", rotation: 180, pointRadius: 6, order: 1 });
      return {
        type: "scatter",
        data: { datasets: datasets },
        options: {
          parsing: true,
          scales: {
            x: { type: "time", time: { unit: "month" }, title: { display: true, text: "Trade date" } },
            y: { type: data.log ? "logarithmic" : "linear", title: { display: true, text: data.y_label }, ticks: { callback: function (v) { return money(v); } } }
          },
          plugins: {
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var raw = ctx.raw || {};
                  return raw.label ? raw.label : ctx.dataset.label + ": " + money(ctx.parsed.y);
                }
              }
            }
          }
        }
      };
    }
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.id + "-data");
    var build = builders[canvas.dataset.chart];
    if (!source || !build) { return; }
    var config = build(JSON.parse(source.textContent), canvas.getAttribute("aria-label"));
    canvas.chart = new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  });
})();
