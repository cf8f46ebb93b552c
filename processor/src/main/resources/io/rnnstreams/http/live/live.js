// The live page of rnn-streams' HTTP API (served at /live/ by io.rnnstreams.http.LivePage).
//
// Reads only the JSON routes, by polling, one request at a time per poller and never overlapping:
//   - the sensor list: GET /sensors?limit=LIST_LIMIT, then GET /sensors/{id} for each listed sensor, every
//     LIST_PERIOD_MS;
//   - the chosen sensor: GET /sensors/{id} every SENSOR_PERIOD_MS; a new point when its reading count grows.
// Each request is aborted after REQUEST_TIMEOUT_MS. Nothing from the server is parsed as HTML: text goes in with
// textContent and attributes with setAttribute, and ids go into URLs through encodeURIComponent.
//
// What tests read (attributes of #forecast-chart): data-sensor, data-channel, data-points (points held),
// data-forecast-points (points with a forecast drawn), data-alarms (alarm markers), data-last-point-forecast
// (the forecast drawn at the last point, "null" if none),
// data-last-readings, data-last-time (epoch ms), data-last-actual, data-last-forecast (the forecast of the next
// reading), data-last-score, data-alarm-active, data-band ("true" when an interval band is drawn). The sensor
// table's rows carry data-sensor, and the table data-count.
(function () {
  "use strict";

  const LIST_LIMIT = 50;
  const LIST_PERIOD_MS = 5000;
  const SENSOR_PERIOD_MS = 1000;
  const REQUEST_TIMEOUT_MS = 4000;
  const MAX_POINTS = 500;

  const el = (id) => document.getElementById(id);
  const statusEl = el("status");
  const chartEl = el("forecast-chart");
  const scoreEl = el("score-chart");

  /** Per sensor id: {points: [...], last: summary or null, alarmSeen: event time or null}. */
  const series = new Map();
  let selected = null;
  let channel = 0;
  let charts = null; // {forecast, score, band, sensor, channel}

  function setStatus(state, text) {
    statusEl.setAttribute("data-state", state);
    statusEl.textContent = text;
  }

  async function getJson(path) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(path, {signal: abort.signal, cache: "no-store"});
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const message = body && typeof body.message === "string" ? body.message : response.statusText;
        throw new Error("HTTP " + response.status + " for " + path + ": " + message);
      }
      return body;
    } finally {
      clearTimeout(timer);
    }
  }

  function sensorPath(id) {
    return "/sensors/" + encodeURIComponent(id);
  }

  function historyOf(id) {
    let h = series.get(id);
    if (!h) {
      h = {points: [], last: null, alarmSeen: null};
      series.set(id, h);
    }
    return h;
  }

  /** The first step of an interval field: [channels], or [steps][channels]; null when absent or malformed. */
  function firstStep(values) {
    if (!Array.isArray(values) || values.length === 0) {
      return null;
    }
    const step = Array.isArray(values[0]) ? values[0] : values;
    return step.every((v) => typeof v === "number") ? step : null;
  }

  /**
   * Takes one summary of a sensor into its history: a point when the reading count grew. Its forecast (and
   * band) is the previous summary's, when that was the reading just before; otherwise none.
   */
  function record(id, summary) {
    const h = historyOf(id);
    const prev = h.last;
    if (prev && summary.readings <= prev.readings) {
      if (summary.readings < prev.readings) { // the key was removed and came back: start again
        h.points = [];
      } else {
        h.last = summary;
        return false;
      }
    }
    const consecutive = prev !== null && summary.readings === prev.readings + 1;
    const onset = summary.alarmActive === true && (prev === null || prev.alarmActive !== true);
    if (onset) {
      h.alarmSeen = summary.lastReadingTimeMillis;
    }
    h.points.push({
      time: summary.lastReadingTimeMillis / 1000,
      readings: summary.readings,
      actual: Array.isArray(summary.lastReading) ? summary.lastReading : [],
      forecast: consecutive && Array.isArray(prev.lastForecast) ? prev.lastForecast : null,
      lower: consecutive ? firstStep(prev.intervalLower) : null,
      upper: consecutive ? firstStep(prev.intervalUpper) : null,
      score: summary.anomalyScore,
      alarm: onset,
    });
    if (h.points.length > MAX_POINTS) {
      h.points.splice(0, h.points.length - MAX_POINTS);
    }
    h.last = summary;
    return true;
  }

  function fmt(x) {
    return typeof x === "number" && isFinite(x) ? x.toPrecision(6) : "-";
  }

  function timeText(ms) {
    return typeof ms === "number" ? new Date(ms).toISOString().replace(".000Z", "Z") : "-";
  }

  // ---- the sensor list ----

  function renderList(ids, next) {
    const body = el("sensors").tBodies[0];
    body.replaceChildren();
    for (const id of ids) {
      const h = historyOf(id);
      const s = h.last;
      const row = document.createElement("tr");
      row.setAttribute("data-sensor", id);
      if (id === selected) {
        row.className = "selected";
      }
      const cells = [
        [id, "sensor"],
        [s ? String(s.readings) : "-", ""],
        [s ? timeText(s.lastReadingTimeMillis) : "-", ""],
        [s ? fmt(s.anomalyScore) : "-", ""],
        [s && s.alarmActive ? "ACTIVE" : "-", s && s.alarmActive ? "alarm-active" : ""],
        [h.alarmSeen !== null ? timeText(h.alarmSeen) : "-", ""],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) {
          td.className = cls;
        }
        row.appendChild(td);
      }
      row.addEventListener("click", () => choose(id));
      body.appendChild(row);
    }
    el("sensors").setAttribute("data-count", String(ids.length));
    el("sensors-note").textContent = next === null ? ids.length + " sensors"
        : "the first " + ids.length + " sensors (more exist; the page lists " + LIST_LIMIT + ")";
  }

  async function pollList() {
    try {
      const page = await getJson("/sensors?limit=" + LIST_LIMIT);
      const ids = Array.isArray(page.sensors) ? page.sensors.filter((s) => typeof s === "string") : [];
      for (const id of ids) {
        try {
          record(id, await getJson(sensorPath(id)));
        } catch (e) {
          // one sensor unavailable (moving between instances): keep its last figures
        }
      }
      for (const id of [...series.keys()]) { // bounded: the listed sensors and the followed one
        if (id !== selected && !ids.includes(id)) {
          series.delete(id);
        }
      }
      renderList(ids, page.next === undefined ? null : page.next);
      if (selected === null && ids.length > 0 && location.hash === "") {
        choose(ids[0]);
      }
      setStatus("ok", "updated " + new Date().toLocaleTimeString());
    } catch (e) {
      setStatus("error", String(e.message || e));
    }
    setTimeout(pollList, LIST_PERIOD_MS);
  }

  // ---- the chosen sensor ----

  function choose(id) {
    if (id === selected) {
      return;
    }
    selected = id;
    channel = 0;
    const hash = "#sensor=" + encodeURIComponent(id);
    if (location.hash !== hash) {
      window.history.replaceState(null, "", hash);
    }
    for (const row of el("sensors").tBodies[0].rows) {
      row.className = row.getAttribute("data-sensor") === id ? "selected" : "";
    }
    el("sensor-title").textContent = id;
    destroyCharts();
    chartEl.setAttribute("data-sensor", id);
    chartEl.setAttribute("data-points", "0");
  }

  function destroyCharts() {
    if (charts) {
      charts.forecast.destroy();
      charts.score.destroy();
      charts = null;
    }
  }

  function renderChannels(count) {
    const box = el("channels");
    if (box.childElementCount === count && box.getAttribute("data-sensor") === selected) {
      for (let c = 0; c < count; c++) {
        box.children[c].className = c === channel ? "selected" : "";
      }
      return;
    }
    box.replaceChildren();
    box.setAttribute("data-sensor", selected);
    for (let c = 0; c < count; c++) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "channel " + c;
      b.className = c === channel ? "selected" : "";
      b.addEventListener("click", () => {
        channel = c;
        destroyCharts();
        draw();
      });
      box.appendChild(b);
    }
  }

  function width() {
    return Math.max(320, Math.min(1000, el("sensor-panel").clientWidth - 10));
  }

  function makeCharts(band) {
    const forecastSeries = [
      {},
      {label: "actual", stroke: "#1f5fa8", width: 2, points: {show: true, size: 4}},
      {label: "forecast", stroke: "#e07b00", width: 2, dash: [6, 4], points: {show: true, size: 4}},
    ];
    const options = {
      width: width(), height: 260, series: forecastSeries,
      scales: {x: {time: true}}, axes: [{}, {label: "channel " + channel}],
    };
    if (band) {
      forecastSeries.push({label: "interval low", stroke: "rgba(224,123,0,0.35)", width: 1});
      forecastSeries.push({label: "interval high", stroke: "rgba(224,123,0,0.35)", width: 1});
      options.bands = [{series: [4, 3], fill: "rgba(224,123,0,0.15)"}];
    }
    const scoreOptions = {
      width: width(), height: 150,
      series: [
        {},
        {label: "anomaly score", stroke: "#6a3d9a", width: 1.5},
        {label: "alarm", stroke: "#b00020", paths: () => null, points: {show: true, size: 10, fill: "#b00020"}},
      ],
      scales: {x: {time: true}, y: {range: [0, 1]}}, axes: [{}, {label: "score"}],
    };
    charts = {
      forecast: new uPlot(options, [[], [], []].concat(band ? [[], []] : []), chartEl),
      score: new uPlot(scoreOptions, [[], [], []], scoreEl),
      band: band, sensor: selected, channel: channel,
    };
  }

  function draw() {
    if (selected === null) {
      return;
    }
    const h = historyOf(selected);
    const points = h.points;
    const s = h.last;
    const band = points.some((p) => p.lower !== null && p.upper !== null);
    if (charts && (charts.band !== band || charts.sensor !== selected || charts.channel !== channel)) {
      destroyCharts();
    }
    if (!charts) {
      makeCharts(band);
    }
    const at = (values) => (values && typeof values[channel] === "number" ? values[channel] : null);
    const x = points.map((p) => p.time);
    const data = [x, points.map((p) => at(p.actual)), points.map((p) => at(p.forecast))];
    if (band) {
      data.push(points.map((p) => at(p.lower)), points.map((p) => at(p.upper)));
    }
    charts.forecast.setData(data);
    charts.score.setData([x, points.map((p) => p.score), points.map((p) => (p.alarm ? p.score : null))]);

    chartEl.setAttribute("data-sensor", selected);
    chartEl.setAttribute("data-channel", String(channel));
    chartEl.setAttribute("data-points", String(points.length));
    chartEl.setAttribute("data-forecast-points", String(points.filter((p) => at(p.forecast) !== null).length));
    chartEl.setAttribute("data-alarms", String(points.filter((p) => p.alarm).length));
    chartEl.setAttribute("data-last-point-forecast",
        String(points.length === 0 ? null : at(points[points.length - 1].forecast)));
    chartEl.setAttribute("data-band", String(band));
    if (s) {
      renderChannels(Array.isArray(s.lastReading) ? s.lastReading.length : 0);
      chartEl.setAttribute("data-last-readings", String(s.readings));
      chartEl.setAttribute("data-last-time", String(s.lastReadingTimeMillis));
      chartEl.setAttribute("data-last-actual", String(at(s.lastReading)));
      chartEl.setAttribute("data-last-forecast", String(at(s.lastForecast)));
      chartEl.setAttribute("data-last-score", String(s.anomalyScore));
      chartEl.setAttribute("data-alarm-active", String(s.alarmActive === true));
      facts([
        ["readings", String(s.readings)],
        ["last reading", timeText(s.lastReadingTimeMillis)],
        ["last value", fmt(at(s.lastReading))],
        ["forecast of the next", fmt(at(s.lastForecast))],
        ["anomaly score", fmt(s.anomalyScore)],
        ["alarm", s.alarmActive ? "ACTIVE" : "none active"],
        ["latest alarm seen", h.alarmSeen !== null ? timeText(h.alarmSeen) : "none since the page opened"],
        ["served by", typeof s.servedBy === "string" ? s.servedBy : "-"],
      ]);
    }
  }

  function facts(pairs) {
    const dl = el("facts");
    dl.replaceChildren();
    for (const [name, value] of pairs) {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    }
  }

  async function pollSensor() {
    const id = selected;
    if (id !== null && !document.hidden) {
      try {
        const summary = await getJson(sensorPath(id));
        if (id === selected) {
          record(id, summary);
          draw();
        }
      } catch (e) {
        setStatus("error", String(e.message || e));
      }
    }
    setTimeout(pollSensor, SENSOR_PERIOD_MS);
  }

  function fromHash() {
    const m = /^#sensor=(.*)$/.exec(location.hash);
    if (m) {
      try {
        choose(decodeURIComponent(m[1]));
      } catch (e) {
        setStatus("error", "malformed sensor in the address: " + m[1]);
      }
    }
  }

  window.addEventListener("hashchange", fromHash);
  fromHash();
  pollList();
  pollSensor();
})();
