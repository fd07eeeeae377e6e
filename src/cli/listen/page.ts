/**
 * The inspector page: plain HTML and JavaScript, no build step, shipped inside the bundle.
 * Every value from a delivery is set with textContent (a payload is attacker-controlled).
 * Its script avoids backticks and dollar-brace so it can live in this template literal.
 */
export const PAGE = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hookguard listen</title>
<style>
  :root { --ok: #137333; --bad: #b3261e; --muted: #5f6368; --line: #dadce0; --bg: #f8f9fa; font: 14px/1.45 system-ui, sans-serif; }
  body { margin: 0; color: #202124; }
  header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--bg); }
  header h1 { font-size: 16px; margin: 0; }
  header .meta { color: var(--muted); }
  #live { margin-left: auto; color: var(--muted); }
  #live.on::before { content: "● "; color: var(--ok); }
  main { display: grid; grid-template-columns: minmax(260px, 34%) 1fr; height: calc(100vh - 44px); }
  #list { overflow: auto; border-right: 1px solid var(--line); margin: 0; padding: 0; list-style: none; }
  #list li { padding: 8px 12px; border-bottom: 1px solid var(--line); cursor: pointer; display: grid; grid-template-columns: auto 1fr auto; gap: 8px; align-items: center; }
  #list li:hover { background: var(--bg); }
  #list li.selected { background: #e8f0fe; }
  #list .n { color: var(--muted); font-variant-numeric: tabular-nums; }
  #list .what { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  #list .time { color: var(--muted); font-size: 12px; display: block; }
  .badge { font-size: 12px; padding: 1px 8px; border-radius: 10px; color: #fff; white-space: nowrap; }
  .badge.verified { background: var(--ok); } .badge.rejected { background: var(--bad); }
  #detail { overflow: auto; padding: 12px 20px; }
  #detail h2 { font-size: 15px; margin: 18px 0 6px; }
  #empty { color: var(--muted); padding: 24px; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 10px 0; }
  button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
  button:hover { background: var(--bg); }
  button:disabled { color: var(--muted); cursor: not-allowed; }
  #notice { color: var(--muted); min-height: 1.4em; }
  table { border-collapse: collapse; width: 100%; font-family: ui-monospace, monospace; font-size: 12px; }
  td { border-bottom: 1px solid var(--line); padding: 3px 6px; vertical-align: top; word-break: break-all; }
  td:first-child { white-space: nowrap; color: var(--muted); width: 1%; }
  pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; font-size: 12px; margin: 0; white-space: pre-wrap; word-break: break-all; }
  .message { color: var(--bad); }
  .exchange { margin-bottom: 8px; }
  .status-ok { color: var(--ok); font-weight: 600; } .status-bad { color: var(--bad); font-weight: 600; }
</style>
</head>
<body>
<header><h1>hookguard listen</h1><span class="meta" id="meta"></span><span id="live">connecting…</span></header>
<main>
  <ul id="list" data-testid="deliveries"></ul>
  <section id="detail"><p id="empty">No deliveries yet. Send one: <code>npx hookguard trigger &lt;preset&gt; &lt;event&gt; --url http://127.0.0.1:&lt;port&gt;/webhooks --secret …</code></p></section>
</main>
<script>
"use strict";
var state = { info: null, deliveries: new Map(), selected: null, raw: false, notice: "" };
var API = "/_hookguard/";

function h(tag, attrs, children) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { if (k === "text") el.textContent = attrs[k]; else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]); else el.setAttribute(k, attrs[k]); });
  (children || []).forEach(function (c) { if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return el;
}
function bodyText(d) {
  var bin = atob(d.body), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}
function verdictBadge(d) {
  return h("span", { "class": "badge " + d.verdict, "data-testid": "verdict", text: d.verdict === "verified" ? "verified" : d.code || "rejected" });
}
function statusSpan(x) {
  if (!x) return h("span", { text: "—" });
  if (x.error) return h("span", { "class": "status-bad", text: x.error });
  return h("span", { "class": x.status < 300 ? "status-ok" : "status-bad", text: x.status + " in " + x.ms + " ms" });
}

function renderList() {
  var list = document.getElementById("list");
  list.replaceChildren();
  Array.from(state.deliveries.values()).sort(function (a, b) { return b.n - a.n; }).forEach(function (d) {
    var li = h("li", { "data-n": String(d.n), "data-testid": "delivery", onclick: function () { select(d.n); } }, [
      h("span", { "class": "n", text: "#" + d.n }),
      h("span", { "class": "what" }, [h("span", { text: [d.type || d.method + " " + d.path].join(" ") }), h("span", { "class": "time", text: new Date(d.receivedAt).toLocaleTimeString() + " · " + d.size + " B" })]),
      verdictBadge(d),
    ]);
    if (d.n === state.selected) li.classList.add("selected");
    list.appendChild(li);
  });
}

function renderDetail() {
  var d = state.deliveries.get(state.selected), box = document.getElementById("detail");
  if (!d) return;
  var canReplay = state.info && state.info.forward;
  var text = bodyText(d);
  var rows = d.headers.map(function (p) { return h("tr", {}, [h("td", { text: p[0] }), h("td", { text: p[1] })]); });
  var replays = d.replays.map(function (r) {
    return h("div", { "class": "exchange", "data-testid": "replay" }, [h("span", { text: new Date(r.at).toLocaleTimeString() + " " + (r.mode === "resigned" ? "re-signed" : "as received") + " → " }), statusSpan(r), r.body ? h("pre", { text: pretty(r.body) }) : null]);
  });
  box.replaceChildren.apply(box, [
    h("div", {}, [h("strong", { text: "#" + d.n + " " + (d.type || "") + " " }), verdictBadge(d)]),
    d.message ? h("p", { "class": "message", "data-testid": "message", text: d.code + ": " + d.message }) : null,
    h("table", {}, [
      h("tr", {}, [h("td", { text: "received" }), h("td", { text: d.receivedAt + " · " + d.method + " " + d.path })]),
      h("tr", {}, [h("td", { text: "preset" }), h("td", { text: d.preset + (d.id ? " · id " + d.id : "") + (d.timestamp ? " · signed at " + new Date(d.timestamp * 1000).toISOString() : "") })]),
      h("tr", {}, [h("td", { text: "body" }), h("td", { text: d.size + " bytes" + (d.truncated ? " (cut to 256 KiB in the history)" : "") + " · verified in " + d.verifyMs + " ms" })]),
      h("tr", {}, [h("td", { text: "answered" }), h("td", { text: String(d.answer.status) })]),
    ]),
    h("div", { "class": "actions" }, [
      h("button", { "data-testid": "replay-resigned", title: "Send the same bytes to your app, signed again with a fresh timestamp", onclick: function () { replay(d.n, "resigned"); } }, ["Replay"]),
      h("button", { "data-testid": "replay-original", title: "Send the headers and bytes exactly as received", onclick: function () { replay(d.n, "original"); } }, ["Replay as received"]),
      h("button", { "data-testid": "copy-curl", onclick: function () { copyCurl(d.n); } }, ["Copy as curl"]),
      h("button", { "data-testid": "save-fixture", onclick: function () { saveFixture(d.n); } }, ["Save as test fixture"]),
    ]),
    h("div", { id: "notice", "data-testid": "notice", text: state.notice }),
    h("h2", { text: "Your app's answer" }),
    h("div", { "data-testid": "forwarded", "class": "exchange" }, d.forwarded ? [statusSpan(d.forwarded), d.forwarded.body ? h("pre", { text: pretty(d.forwarded.body) }) : null] : [h("span", { text: "not forwarded: " + d.notForwarded })]),
    replays.length ? h("h2", { text: "Replays" }) : null,
    replays.length ? h("div", { "data-testid": "replays" }, replays) : null,
    h("h2", {}, ["Payload ", h("button", { onclick: function () { state.raw = !state.raw; renderDetail(); } }, [state.raw ? "pretty" : "raw"])]),
    h("pre", { "data-testid": "payload", text: state.raw ? text : pretty(text) }),
    h("h2", { text: "Headers as received" }),
    h("table", {}, rows)
  ].filter(Boolean));
  if (!canReplay) document.querySelectorAll("[data-testid^=replay-]").forEach(function (b) { b.disabled = true; b.title = "Start listen with --forward <your app URL> to replay"; });
}

function select(n) { state.selected = n; state.notice = ""; renderList(); renderDetail(); }
// Kept in state: a live update re-renders the detail and must not wipe it.
function notice(text) { state.notice = text; var el = document.getElementById("notice"); if (el) el.textContent = text; }
function post(path) { return fetch(API + path, { method: "POST", headers: { "x-hookguard-inspector": "1" } }).then(function (r) { return r.json(); }); }

function replay(n, mode) {
  notice("replaying…");
  post("deliveries/" + n + "/replay?mode=" + mode).then(function (r) { notice(r.error ? r.error : "replayed: your app answered " + r.status); });
}
function copyCurl(n) {
  fetch(API + "deliveries/" + n + "/curl").then(function (r) { return r.text(); }).then(function (text) {
    var done = function () { notice("curl command copied (it carries the signature as received)"); };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { notice(text); }); else notice(text);
  });
}
function saveFixture(n) {
  post("deliveries/" + n + "/fixture").then(function (r) {
    notice("saved " + r.path + " (load it in a test with signRequest; see docs/cli.md)");
    var a = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(r.fixture, null, 2) + "\n"], { type: "application/json" })), download: r.path.split("/").pop() });
    document.body.appendChild(a); a.click(); a.remove();
  });
}

function upsert(d) {
  state.deliveries.set(d.n, d);
  if (state.selected === null) state.selected = d.n;
  renderList();
  if (d.n === state.selected) renderDetail();
}

fetch(API + "deliveries").then(function (r) { return r.json(); }).then(function (info) {
  state.info = info;
  document.getElementById("meta").textContent = info.preset + (info.forward ? " → " + info.forward + (info.forwardAll ? " (every delivery)" : " (verified deliveries)") : " · not forwarding");
  info.deliveries.forEach(function (d) { state.deliveries.set(d.n, d); });
  if (info.deliveries.length) state.selected = info.deliveries[info.deliveries.length - 1].n;
  renderList(); renderDetail();
  var events = new EventSource(API + "events"), live = document.getElementById("live");
  events.onopen = function () { live.textContent = "live"; live.className = "on"; };
  events.onerror = function () { live.textContent = "reconnecting…"; live.className = ""; };
  events.addEventListener("delivery", function (e) { upsert(JSON.parse(e.data)); });
});
</script>
</body>
</html>
`;
