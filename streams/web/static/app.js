// livewatch monitoring page: live alerts over server-sent events, statistics and alert detail.
// Plain ES module, no dependencies. Every alert (streamed or fetched) goes through addAlert(),
// so the page does not care how an alert reached the server.

const KINDS = {
  false_advertising: "虚假宣传",
  unlisted_product: "未报备商品",
  blacklisted_host: "黑名单主播",
  ccc_invalid: "3C 认证问题",
  price_anomaly: "价格异常",
};
const SEVERITIES = { critical: "严重", high: "高", medium: "中", low: "低" };
const PLATFORMS = { douyin: "抖音", kuaishou: "快手", taobao: "淘宝直播", channels: "视频号", xiaohongshu: "小红书" };
// replay_id comes from the URL only (?replay_id=...): live alerts by default, never mixed with a replay's
const FILTERS = ["platform", "kind", "severity", "host_id", "room_id", "replay_id"];
const MAX_ROWS = 500;
const TZ = "Asia/Shanghai";

const $ = (id) => document.getElementById(id);
const state = { alerts: new Map(), source: null, generation: 0, statsTimer: null };

// ---- helpers --------------------------------------------------------------------------------------

function parseTs(value) {
  // ClickHouse rows carry UTC without an offset; contract alerts carry one.
  const text = String(value || "");
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}

function fmtTime(value, withDate = false) {
  const opts = { timeZone: TZ, hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" };
  if (withDate) Object.assign(opts, { year: "numeric", month: "2-digit", day: "2-digit" });
  return parseTs(value).toLocaleString("zh-CN", opts);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

function currentFilters() {
  const form = $("filters");
  const out = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) out[name] = value;
  }
  return out;
}

function query(extra = {}) {
  return new URLSearchParams({ ...currentFilters(), ...extra }).toString();
}

function matches(alert, filters) {
  const replay = filters.replay_id || "";
  if (replay !== "*" && (alert.replay_id || "") !== replay) return false;
  return Object.entries(filters).every(([name, value]) => name === "replay_id" || alert[name] === value);
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// ---- alert list -----------------------------------------------------------------------------------

function badge(kind, map, value) {
  return el("span", { class: `badge ${kind}-${value}` }, map[value] || value);
}

function renderRow(alert, fresh) {
  const tr = el("tr", {
    class: fresh ? "fresh" : "",
    dataset: { alertId: alert.alert_id, kind: alert.kind, severity: alert.severity, platform: alert.platform },
    onclick: () => showDetail(alert.alert_id),
    title: "点击查看告警详情",
  },
  el("td", { class: "time" }, fmtTime(alert.event_ts)),
  el("td", {}, PLATFORMS[alert.platform] || alert.platform),
  el("td", {}, badge("kind", KINDS, alert.kind)),
  el("td", {}, badge("sev", SEVERITIES, alert.severity)),
  el("td", { class: "mono" }, alert.host_id),
  el("td", { class: "mono" }, alert.room_id),
  el("td", { class: "evidence-cell" }, alert.evidence));
  return tr;
}

function addAlert(alert, fresh = false) {
  if (!alert || !alert.alert_id || state.alerts.has(alert.alert_id)) return;
  if (!matches(alert, currentFilters())) return;
  const ts = parseTs(alert.event_ts).getTime();
  state.alerts.set(alert.alert_id, { alert, ts });
  const body = $("alert-rows");
  const row = renderRow(alert, fresh);
  // newest first: insert before the first row that is older
  let before = null;
  for (const tr of body.children) {
    const other = state.alerts.get(tr.dataset.alertId);
    if (other && other.ts < ts) { before = tr; break; }
  }
  body.insertBefore(row, before);
  while (body.children.length > MAX_ROWS) {
    const last = body.lastElementChild;
    state.alerts.delete(last.dataset.alertId);
    last.remove();
  }
  updateCount();
}

function clearAlerts() {
  state.alerts.clear();
  $("alert-rows").replaceChildren();
  updateCount();
}

function updateCount() {
  const n = state.alerts.size;
  $("feed-count").textContent = `共 ${n} 条`;
  $("feed-count").dataset.count = String(n);
  $("feed-empty").hidden = n > 0;
}

// ---- live stream ----------------------------------------------------------------------------------

function setStatus(status, label) {
  const box = $("sse-status");
  box.dataset.sse = status;
  box.querySelector(".label").textContent = label;
}

function connect() {
  if (state.source) state.source.close();
  const source = new EventSource(`/api/alerts/stream?${query()}`);
  state.source = source;
  setStatus("connecting", "连接中…");
  source.onopen = () => setStatus("open", "实时连接中");
  source.onerror = () => setStatus("connecting", "重新连接中…");
  source.addEventListener("alert", (event) => {
    addAlert(JSON.parse(event.data), true);
    scheduleStats(1000);
  });
}

async function loadAlerts() {
  const generation = ++state.generation;
  const data = await getJSON(`/api/alerts?${query({ limit: 200 })}`);
  if (generation !== state.generation) return; // filters changed meanwhile
  for (const alert of data.alerts) addAlert(alert);
}

// ---- statistics -----------------------------------------------------------------------------------

function renderMinutely(data) {
  const chart = $("minutely");
  const max = Math.max(1, ...data.buckets.map((b) => b.total));
  const kinds = Object.keys(KINDS);
  chart.replaceChildren(...data.buckets.map((bucket) => {
    const bar = el("div", {
      class: "bar", title: `${fmtTime(bucket.minute)}  ${bucket.total} 条`,
      dataset: { minute: bucket.minute, total: String(bucket.total) },
    });
    for (const kind of kinds) {
      const n = bucket.by_kind[kind] || 0;
      if (n) bar.append(el("div", { class: `seg kind-${kind}`, style: `height:${(100 * n) / max}%` }));
    }
    return bar;
  }));
  $("minutely-total").textContent = `共 ${data.total} 条 · 峰值 ${max} 条/分钟`;
  $("minutely-total").dataset.total = String(data.total);
}

function renderTop(list, data, filterName) {
  const items = data.items.map((item) => el("li", {
    dataset: { key: item.key, alerts: String(item.alerts) },
    title: `按${filterName === "host_id" ? "主播" : "直播间"}筛选`,
    onclick: () => { $("filters").elements[filterName].value = item.key; applyFilters(); },
  },
  el("span", { class: "key mono" }, item.key),
  el("span", { class: "muted" }, PLATFORMS[item.platform] || item.platform),
  item.critical ? el("span", { class: "badge sev-critical" }, `严重 ${item.critical}`) : "",
  el("span", { class: "count" }, `${item.alerts} 条`)));
  list.replaceChildren(...items);
  if (!items.length) list.append(el("li", { class: "muted" }, "今日暂无"));
}

function fillDatalist(list, data) {
  list.replaceChildren(...data.items.map((item) => el("option", { value: item.key })));
}

async function loadStats() {
  const q = query();
  const [minutely, hosts, rooms] = await Promise.all([
    getJSON(`/api/stats/minutely?minutes=60&${q}`),
    getJSON(`/api/stats/top?by=host&limit=8&${q}`),
    getJSON(`/api/stats/top?by=room&limit=8&${q}`),
  ]);
  renderMinutely(minutely);
  renderTop($("top-hosts"), hosts, "host_id");
  renderTop($("top-rooms"), rooms, "room_id");
  fillDatalist($("host-list"), hosts);
  fillDatalist($("room-list"), rooms);
}

function scheduleStats(delay) {
  clearTimeout(state.statsTimer);
  state.statsTimer = setTimeout(() => {
    loadStats().catch((err) => console.warn(err)).finally(() => scheduleStats(30000));
  }, delay);
}

function renderLegend() {
  $("legend").replaceChildren(...Object.entries(KINDS).map(([kind, label]) =>
    el("span", {}, el("i", { class: `swatch kind-${kind}` }), label)));
}

// ---- detail ---------------------------------------------------------------------------------------

function highlighted(text, range) {
  if (!range) return [text];
  const [start, end] = range;
  return [text.slice(0, start), el("mark", {}, text.slice(start, end)), text.slice(end)];
}

async function showDetail(alertId) {
  const drawer = $("detail");
  drawer.hidden = false;
  drawer.dataset.alertId = alertId;
  drawer.dataset.loaded = "false";
  $("detail-fields").replaceChildren(el("dd", { class: "muted" }, "加载中…"));
  $("detail-evidence").textContent = "";
  $("detail-context").replaceChildren();
  $("detail-json").textContent = "";
  let data;
  try {
    data = await getJSON(`/api/alerts/${encodeURIComponent(alertId)}`);
  } catch (err) {
    // a streamed alert may reach the page before the sink has written it
    const known = state.alerts.get(alertId);
    data = known ? { alert: known.alert, context: { available: false, segments: [] } } : null;
    if (!data) { $("detail-fields").replaceChildren(el("dd", {}, `加载失败：${err.message}`)); return; }
  }
  if (drawer.dataset.alertId !== alertId) return;
  const a = data.alert;
  const fields = [
    ["时间", fmtTime(a.event_ts, true)], ["检测时间", fmtTime(a.detected_at, true)],
    ["平台", PLATFORMS[a.platform] || a.platform], ["类型", KINDS[a.kind] || a.kind],
    ["严重程度", SEVERITIES[a.severity] || a.severity], ["规则", a.rule], ["主播", a.host_id],
    ["直播间", a.room_id], ["场次", a.session_id], ["事件", a.event_id], ["告警 ID", a.alert_id],
  ];
  $("detail-fields").replaceChildren(...fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { class: "mono" }, v)]));
  $("detail-evidence").textContent = a.evidence;
  const context = $("detail-context");
  const segments = data.context.segments;
  if (!data.context.available || !segments.length) {
    context.append(el("li", { class: "muted" }, data.context.available ? "无相关转写片段" : "转写存档不可用，仅显示证据"));
  }
  for (const seg of segments) {
    context.append(el("li", { class: seg.evidence ? "hit" : "", dataset: { seq: String(seg.seq) } },
      el("span", { class: "time" }, fmtTime(seg.ts)), " ", ...highlighted(seg.text, seg.highlight)));
  }
  try {
    $("detail-json").textContent = JSON.stringify(JSON.parse(a.details || "{}"), null, 2);
  } catch {
    $("detail-json").textContent = a.details;
  }
  drawer.dataset.loaded = "true";
}

// ---- wiring ---------------------------------------------------------------------------------------

function applyFilters() {
  const params = new URLSearchParams(currentFilters());
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  clearAlerts();
  connect(); // subscribe first, then backfill: nothing falls between the two
  $("feed-empty").textContent = "暂无告警";
  loadAlerts().catch((err) => {
    console.warn(err);
    $("feed-empty").textContent = `告警数据加载失败（${err.message}），实时告警仍会显示`;
  });
  scheduleStats(0);
}

function init() {
  const form = $("filters");
  const initial = new URLSearchParams(location.search);
  for (const name of FILTERS) if (initial.get(name)) form.elements[name].value = initial.get(name);
  const replay = form.elements.replay_id.value;
  if (replay) {
    $("replay-banner").hidden = false;
    $("replay-banner").textContent = replay === "*" ? "含回放告警" : `回放：${replay}`;
  }
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", (event) => { event.preventDefault(); applyFilters(); });
  form.addEventListener("reset", () => setTimeout(applyFilters, 0));
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") $("detail").hidden = true; });
  renderLegend();
  applyFilters();
}

init();
