// 技能山东 — the online theory exam page (templates/certification/exam.html; certification.services.exam and
// certification.domain.exam_clock/answers say what the server decides). Every answer is written to IndexedDB with
// its sequence number the moment it is given, before any network attempt, then sent in batches; the server's
// acknowledgement removes it. A reload restores the server's saved answers, then the browser's unsent ones. The
// time left counts down to the server's deadline on the page's clock corrected by the tracked offset (NTP style,
// the sample with the least round trip kept). Every word shown comes from the page's data-t-* attributes.
(function () {
  "use strict";

  var root = document.querySelector("[data-exam]");
  if (!root) { return; }
  var T = root.dataset;
  var API = T.api;
  var REGISTRATION = T.registration;
  var DATABASE = "skills-exam-u" + T.user;
  var BEAT_MS = 5000;
  var RETRY_MAX_MS = 15000;

  var database = null;
  var sittingId = null;
  var sessionKey = null;
  var nextSeq = 1;
  var queue = {};  // seq → record not yet acknowledged
  var latest = {};  // position → seq of the latest answer given on this page
  var offset = null;  // {ms, rtt}
  var deadline = null;  // server ms
  var phase = "answering";
  var submitted = false;
  var sending = false;
  var failures = 0;
  var retryTimer = null;
  var hidden = false;
  var online = navigator.onLine !== false;

  function $(sel) { return root.querySelector(sel); }

  // --- storage ---------------------------------------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("answers", { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function tx(mode, work) {
    return new Promise(function (resolve) {
      if (!database) { resolve([]); return; }
      var t = database.transaction("answers", mode);
      var out = [];
      t.oncomplete = function () { resolve(out); };
      t.onerror = t.onabort = function () { resolve(out); };
      work(t.objectStore("answers"), out);
    });
  }

  function keep(record) { return tx("readwrite", function (s) { s.put(record); }); }
  function drop(seqs) {
    return tx("readwrite", function (s) { seqs.forEach(function (q) { s.delete(sittingId + ":" + q); }); });
  }
  function queued() {
    return tx("readonly", function (s, out) {
      s.openCursor().onsuccess = function (e) {
        var c = e.target.result;
        if (!c) { return; }
        if (c.value.sitting === sittingId) { out.push(c.value); }
        c.continue();
      };
    });
  }

  function newKey() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- network ---------------------------------------------------------------------------------------------------

  function csrf() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : T.csrf;
  }

  function post(path, body) {
    var sent = Date.now();
    return fetch(API + path, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) {
      var got = Date.now();
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, sent: sent, got: got };
      });
    });
  }

  function sample(reply, receivedIso, repliedIso) {
    var t1 = Date.parse(receivedIso), t2 = Date.parse(repliedIso || receivedIso);
    if (isNaN(t1) || isNaN(t2)) { return; }
    var rtt = (reply.got - reply.sent) - (t2 - t1);
    if (rtt < 0) { return; }
    if (offset === null || rtt <= offset.rtt) {
      offset = { ms: Math.round(((t1 - reply.sent) + (t2 - reply.got)) / 2), rtt: rtt };
    }
  }

  function setNet(state) {
    var net = $("[data-exam-net]");
    net.dataset.net = state;
    net.textContent = state === "online" ? T.tOnline : T.tOffline;
  }

  function trouble() {
    online = false;
    setNet("offline");
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { beat(); }, Math.min(RETRY_MAX_MS, 1000 * Math.pow(2, failures)));
  }

  function recovered() {
    failures = 0;
    if (!online) { online = true; setNet("online"); }
  }

  // --- the clock ------------------------------------------------------------------------------------------------

  function clockFrom(data) {
    if (data.deadline) { deadline = Date.parse(data.deadline); }
    if (data.phase) { phase = data.phase; }
    if (data.submitted) { showSubmitted(); }
  }

  function serverNow() { return Date.now() + (offset ? offset.ms : 0); }

  function tick() {
    if (deadline === null) { return; }
    var left = Math.max(0, deadline - serverNow());
    var s = Math.floor(left / 1000);
    var text = (s >= 3600 ? Math.floor(s / 3600) + ":" : "") + ("0" + Math.floor(s / 60) % 60).slice(-2) + ":" +
      ("0" + s % 60).slice(-2);
    var el = $("[data-exam-left]");
    el.textContent = text;
    el.dataset.leftMs = String(left);
    if (left === 0 && !submitted) {
      $("[data-exam-timeup]").hidden = false;
      setInputs(false);
      flush();
    }
  }

  // --- the paper -------------------------------------------------------------------------------------------------

  function mark(position, state, message) {
    var q = root.querySelector('[data-question="' + position + '"]');
    if (!q) { return; }
    q.dataset.state = state;
    var badge = q.querySelector("[data-saved]");
    badge.textContent = state === "saved" ? T.tSaved : state === "refused" ? T.tRefused : state === "empty" ? "" :
      T.tUnsaved;
    badge.title = message || "";
    var nav = root.querySelector('[data-nav="' + position + '"]');
    if (nav) { nav.dataset.state = state; }
    var refusal = q.querySelector("[data-refusal]");
    refusal.textContent = message || "";
    refusal.hidden = !message;
    updateCounts();
  }

  function updateCounts() {
    var pending = Object.keys(queue).length;
    $("[data-exam-pending]").textContent = String(pending);
    var answered = root.querySelectorAll('[data-question] input:checked');
    var positions = {};
    Array.prototype.forEach.call(answered, function (i) { positions[i.name] = true; });
    $("[data-exam-answered]").textContent = String(Object.keys(positions).length);
  }

  function setInputs(enabled) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-question] input"), function (i) { i.disabled = !enabled; });
    var submit = $("[data-exam-submit]");
    if (submit) { submit.disabled = !enabled && phase !== "overdue"; }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function render(paper) {
    var list = $("[data-exam-questions]");
    var nav = $("[data-exam-nav]");
    list.textContent = "";
    nav.textContent = "";
    $("[data-exam-total]").textContent = String(paper.questions.length);
    paper.questions.forEach(function (q) {
      var item = el("li", { "data-question": String(q.position), id: "q-" + q.number, "class": "exam-question card" });
      var head = el("div", { "class": "exam-question-head" });
      head.appendChild(el("strong", {}, q.number + ". "));
      head.appendChild(el("span", { "class": "muted" }, q.kind_label + " · " + q.points + T.tPoints));
      head.appendChild(el("span", { "class": "exam-saved", "data-saved": "" }));
      item.appendChild(head);
      item.appendChild(el("p", { "class": "exam-stem" }, q.stem));
      var box = el("fieldset", { "class": "exam-options" });
      box.appendChild(el("legend", { "class": "visually-hidden" }, q.number + ". " + q.stem));
      q.options.forEach(function (text, i) {
        var label = el("label", { "class": "exam-option" });
        var input = el("input", { type: q.kind === "multiple" ? "checkbox" : "radio", name: "q" + q.position,
          value: String(i), "data-testid": "option-" + q.number + "-" + i });
        if (q.saved.indexOf(i) >= 0) { input.checked = true; }
        label.appendChild(input);
        label.appendChild(el("span", {}, String.fromCharCode(65 + i) + ". " + text));
        box.appendChild(label);
      });
      item.appendChild(box);
      item.appendChild(el("p", { "class": "error", "data-refusal": "", hidden: "" }));
      list.appendChild(item);
      var link = el("a", { href: "#q-" + q.number, "data-nav": String(q.position) }, String(q.number));
      var li = el("li");
      li.appendChild(link);
      nav.appendChild(li);
      mark(q.position, q.saved.length ? "saved" : "empty");
    });
    list.addEventListener("change", onChange);
  }

  function choicesOf(position) {
    var picked = root.querySelectorAll('[data-question="' + position + '"] input:checked');
    return Array.prototype.map.call(picked, function (i) { return Number(i.value); });
  }

  function onChange(event) {
    var q = event.target.closest("[data-question]");
    if (!q || submitted) { return; }
    give(Number(q.dataset.question), choicesOf(q.dataset.question));
  }

  function give(position, choices) {
    var record = { id: sittingId + ":" + nextSeq, sitting: sittingId, seq: nextSeq, position: position,
      choices: choices, given_at_ms: Date.now() };
    nextSeq += 1;
    queue[record.seq] = record;
    latest[position] = record.seq;
    mark(position, "pending");
    keep(record).then(flush);
  }

  function flush() {
    if (sending || !sittingId) { return; }
    var seqs = Object.keys(queue).map(Number).sort(function (a, b) { return a - b; }).slice(0, 200);
    if (!seqs.length) { return; }
    sending = true;
    var body = { session_key: sessionKey, answers: seqs.map(function (s) {
      var r = queue[s];
      return { position: r.position, choices: r.choices, seq: r.seq, given_at_ms: r.given_at_ms };
    }) };
    if (offset) { body.offset_ms = offset.ms; body.round_trip_ms = offset.rtt; }
    post("/sittings/" + sittingId + "/answers", body).then(function (reply) {
      sending = false;
      if (reply.status !== 200) { return problem(reply); }
      recovered();
      sample(reply, reply.data.server_time);
      var d = reply.data;
      var refused = {};
      d.refused.forEach(function (r) { refused[r.seq] = r.message; });
      var decided = seqs.filter(function (s) { return s <= d.ack || d.accepted.indexOf(s) >= 0 ||
        d.repeated.indexOf(s) >= 0 || refused[s] !== undefined; });
      decided.forEach(function (s) {
        var r = queue[s];
        delete queue[s];
        if (latest[r.position] === s || latest[r.position] === undefined) {
          mark(r.position, refused[s] !== undefined ? "refused" : (r.choices.length ? "saved" : "empty"), refused[s]);
        }
      });
      nextSeq = Math.max(nextSeq, d.next_seq);
      clockFrom(d);
      drop(decided).then(function () { if (Object.keys(queue).length) { flush(); } });
    }).catch(function () { sending = false; trouble(); });
  }

  function problem(reply) {
    var box = $("[data-exam-problem]");
    box.textContent = (reply.data && reply.data.message) || T.tTrouble;
    box.hidden = false;
    if (reply.status >= 500) { trouble(); }
  }

  function beat(visible) {
    if (!sittingId) { return start(); }
    // A submitted sitting has nothing more to say unless answers given offline still wait to be sent.
    if (submitted && !Object.keys(queue).length) { return Promise.resolve(); }
    var body = { session_key: sessionKey };
    if (visible !== undefined) { body.visible = visible; body.was_hidden = visible && hidden; }
    return post("/sittings/" + sittingId + "/heartbeat", body).then(function (reply) {
      if (reply.status !== 200) { return problem(reply); }
      recovered();
      sample(reply, reply.data.received_at, reply.data.server_time);
      clockFrom(reply.data);
      nextSeq = Math.max(nextSeq, reply.data.next_seq);
      flush();
    }).catch(trouble);
  }

  function showSubmitted() {
    submitted = true;
    setInputs(false);
    $("[data-exam-done]").hidden = false;
    $("[data-exam-timeup]").hidden = true;
    root.dataset.submitted = "true";
  }

  function submit() {
    if (!window.confirm(T.tConfirm)) { return; }
    flush();
    var wait = setInterval(function () {
      if (sending || Object.keys(queue).length) { flush(); return; }
      clearInterval(wait);
      post("/sittings/" + sittingId + "/submit", { session_key: sessionKey }).then(function (reply) {
        if (reply.status === 200 || (reply.data && reply.data.code === "exam.submitted")) { showSubmitted(); }
        else { problem(reply); }
      }).catch(trouble);
    }, 300);
  }

  function start() {
    var stored = "exam-session-" + REGISTRATION;
    sessionKey = window.localStorage.getItem(stored) || newKey();
    window.localStorage.setItem(stored, sessionKey);
    return post("/registrations/" + REGISTRATION + "/sitting", { session_key: sessionKey,
      device: (navigator.userAgent || "").slice(0, 200) }).then(function (reply) {
      if (reply.status !== 200) { return problem(reply); }
      recovered();
      var paper = reply.data;
      sittingId = paper.sitting_id;
      sample(reply, paper.server_time);
      render(paper);
      clockFrom(paper);
      nextSeq = paper.next_seq;
      $("[data-exam-body]").hidden = false;
      return queued().then(function (records) {
        var stale = [];
        records.sort(function (a, b) { return a.seq - b.seq; }).forEach(function (r) {
          if (r.seq <= paper.ack) { stale.push(r.seq); return; }
          queue[r.seq] = r;
          latest[r.position] = r.seq;
          nextSeq = Math.max(nextSeq, r.seq + 1);
          var inputs = root.querySelectorAll('[data-question="' + r.position + '"] input');
          Array.prototype.forEach.call(inputs, function (i) { i.checked = r.choices.indexOf(Number(i.value)) >= 0; });
          mark(r.position, "pending");
        });
        drop(stale);
        if (paper.submitted) { showSubmitted(); } else if (paper.phase !== "answering") { setInputs(false); }
        flush();
      });
    }).catch(trouble);
  }

  openDb().then(function (db) {
    database = db;
    start();
    setInterval(tick, 500);
    setInterval(function () { beat(); }, BEAT_MS);
  });
  window.addEventListener("online", function () { beat(); });
  window.addEventListener("offline", function () { online = false; setNet("offline"); });
  document.addEventListener("visibilitychange", function () {
    var visible = document.visibilityState === "visible";
    if (sittingId) { beat(visible); }
    hidden = !visible;
  });
  var submitButton = $("[data-exam-submit]");
  if (submitButton) { submitButton.addEventListener("click", submit); }
})();
