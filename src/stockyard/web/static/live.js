// The Live page: listens to /live/events (server-sent events) and redraws sparklines, news, alerts.
(function () {
  "use strict";
  const MAX_POINTS = 120;
  const series = new Map(); // ticker -> [{t, close}]
  const grid = document.getElementById("sparklines");
  const status = document.getElementById("live-status");

  function fmtTime(ms) {
    return new Date(ms).toISOString().slice(11, 16) + "Z";
  }

  function pct(x) {
    return x === null || x === undefined ? "–" : (x * 100).toFixed(2) + "%";
  }

  function card(ticker) {
    let el = document.getElementById("spark-" + ticker);
    if (!el) {
      el = document.createElement("div");
      el.className = "spark";
      el.id = "spark-" + ticker;
      el.dataset.ticker = ticker;
      el.innerHTML =
        '<h3><span>' + ticker + '</span><span class="last"></span></h3>' +
        '<svg viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label="' + ticker +
        ' price"><polyline fill="none" stroke="currentColor" stroke-width="1"/></svg>' +
        '<div class="meta"><span class="ret"></span> <span class="time"></span></div>';
      grid.appendChild(el);
    }
    return el;
  }

  function draw(ticker) {
    const points = series.get(ticker) || [];
    const el = card(ticker);
    if (!points.length) return;
    const closes = points.map((p) => p.close);
    const lo = Math.min(...closes), hi = Math.max(...closes);
    const span = hi - lo || 1;
    const step = points.length > 1 ? 100 / (points.length - 1) : 0;
    const line = points
      .map((p, i) => (i * step).toFixed(2) + "," + (29 - ((p.close - lo) / span) * 28).toFixed(2))
      .join(" ");
    el.querySelector("polyline").setAttribute("points", line);
    const last = points[points.length - 1];
    el.querySelector(".last").textContent = last.close.toFixed(2);
    const ret = el.querySelector(".ret");
    ret.textContent = "5m " + pct(last.ret_5m);
    ret.className = "ret " + ((last.ret_5m || 0) >= 0 ? "up" : "down");
    el.querySelector(".time").textContent = fmtTime(last.t);
    el.dataset.points = String(points.length);
    el.dataset.lastT = String(last.t);
  }

  function addBar(bar) {
    const points = series.get(bar.ticker) || [];
    if (points.length && points[points.length - 1].t >= bar.t) return;
    points.push(bar);
    if (points.length > MAX_POINTS) points.shift();
    series.set(bar.ticker, points);
    draw(bar.ticker);
  }

  function prepend(listId, li) {
    const list = document.getElementById(listId);
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) list.removeChild(list.lastChild);
  }

  function link(url, text) {
    const a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    a.rel = "noopener";
    return a;
  }

  function addNews(item) {
    const li = document.createElement("li");
    li.appendChild(link(item.url, item.title));
    const when = document.createElement("div");
    when.className = "when";
    when.textContent = fmtTime(item.published_ms) + " · " + (item.tickers.join(", ") || "no ticker");
    li.appendChild(when);
    prepend("news", li);
  }

  function addAlert(alert) {
    const li = document.createElement("li");
    li.className = "alert-item";
    li.dataset.ticker = alert.ticker;
    const head = document.createElement("strong");
    head.textContent = alert.ticker + " " + (alert.move_pct >= 0 ? "+" : "") +
      alert.move_pct.toFixed(2) + "% in 5 min at " + fmtTime(alert.window_end_ms) + " — ";
    li.appendChild(head);
    li.appendChild(link(alert.news_url, alert.news_title));
    prepend("alerts", li);
  }

  function setWatch(watch) {
    document.getElementById("watch-tickers").textContent = watch.tickers.join(", ");
    document.getElementById("watch-terms").textContent = watch.terms.join(", ");
  }

  function setCounters(c) {
    document.getElementById("counters").textContent =
      "Bars in " + c.bars_in + " · late dropped " + c.late_dropped + " · out of order " +
      c.out_of_order + " · news " + c.news_in + " · alerts " + c.alerts;
  }

  const source = new EventSource("/live/events");
  source.addEventListener("open", () => { status.textContent = "Live: receiving updates."; });
  source.addEventListener("error", () => { status.textContent = "Reconnecting…"; });
  source.addEventListener("snapshot", (e) => {
    const snap = JSON.parse(e.data);
    for (const [ticker, points] of Object.entries(snap.bars)) {
      series.set(ticker, points.slice(-MAX_POINTS));
      draw(ticker);
    }
    snap.news.slice().reverse().forEach(addNews);
    snap.alerts.slice().reverse().forEach(addAlert);
    if (snap.watch) setWatch(snap.watch);
    if (snap.counters && snap.counters.bars_in !== undefined) setCounters(snap.counters);
  });
  source.addEventListener("bar", (e) => addBar(JSON.parse(e.data)));
  source.addEventListener("news", (e) => addNews(JSON.parse(e.data)));
  source.addEventListener("alert", (e) => addAlert(JSON.parse(e.data)));
  source.addEventListener("watch", (e) => setWatch(JSON.parse(e.data)));
  source.addEventListener("counters", (e) => setCounters(JSON.parse(e.data)));
})();
