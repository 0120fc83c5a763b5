// 技能山东 — the live board (competitions.views.board; README "Live stream (protocol)").
//
// The page arrives with the snapshot rendered by the server (it works without this script; its position is on
// [data-board] as data-epoch, data-seq). This script connects to the event's websocket, takes its first snapshot
// (replacing the server's rendering with the same cards), keeps `(epoch, seq)`, applies each `delta` in place
// (absolute figures: applying one twice is harmless), replaces everything on any later `snapshot`, and when the
// connection drops reconnects with backoff (0.5 s doubling to 30 s, with jitter) from its last position
// (`?epoch=E&seq=S`: the protocol's resume at connect, so it gets exactly what it missed, or a snapshot). A gap in the sequence (a delta or heartbeat past the next seq) sends a `resume`
// message. The connection state shows as 实时 / 连接中断，正在重连; a refusal (4401, 4403, 4404) stops retrying.
//
// Progress ("M1 3/5") is each module's count of aspects whose mark is complete: the snapshot carries each entry's
// `complete` aspect codes, a `mark` delta says whether its aspect is now complete. Provisional places follow
// competitions.domain.board: standard competition ranking (1, 2, 2, 4) on the score shown (practical before
// decryption, total after), rounded half up to two decimals; the official order is the results page's.
// The big screen (data-screen) shows one skill at a time in a grid sized by the same table as
// competitions.domain.board.SCREEN_GRIDS, a screenful of data-page-size cards, turning every data-turn-seconds.
// Texts come translated from the page's data-t-* attributes. No inline code: the CSP allows our files only.
(function () {
  "use strict";
  var root = document.querySelector("[data-board]");
  if (!root) { return; }
  var d = root.dataset;
  var jury = d.audience === "jury";
  var screen = d.screen === "1";
  var pageSize = Number(d.pageSize) || 48;
  var turnSeconds = Number(d.turnSeconds) || 15;
  var state = { epoch: d.epoch || "", seq: Number(d.seq) || 0, skills: null, frozen: undefined };
  var GRIDS = [[1, 1, 1], [2, 2, 1], [4, 2, 2], [6, 3, 2], [9, 3, 3], [12, 4, 3], [16, 4, 4], [20, 5, 4],
               [25, 5, 5], [30, 6, 5], [36, 6, 6], [40, 8, 5], [48, 8, 6]];
  var REFUSED = { 4401: true, 4403: true, 4404: true };

  function text(key, params) {
    var value = d["t" + key] || "";
    Object.keys(params || {}).forEach(function (name) { value = value.split("{" + name + "}").join(params[name]); });
    return value;
  }

  // --- figures --------------------------------------------------------------------------------------------------

  // A decimal string as hundredths, rounded half up (no floating point: "45.505" is 4551).
  function hundredths(value) {
    var s = String(value == null ? "0" : value).trim();
    var negative = s.charAt(0) === "-";
    if (negative) { s = s.slice(1); }
    var parts = s.split(".");
    var whole = Number(parts[0] || "0");
    var frac = ((parts[1] || "") + "000").slice(0, 3);
    var units = whole * 1000 + Number(frac);
    var rounded = Math.floor((units + 5) / 10);
    return negative ? -rounded : rounded;
  }

  function two(value) {
    var h = hundredths(value);
    var sign = h < 0 ? "-" : "";
    h = Math.abs(h);
    var cents = String(h % 100);
    return sign + Math.floor(h / 100) + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  // Standard competition ranking: 1 + how many scores are strictly higher; null (nothing marked) has no place
  // (competitions.domain.board).
  function placesOf(scores) {
    var ordered = scores.filter(function (s) { return s !== null; }).sort(function (a, b) { return b - a; });
    var firstAt = {};
    ordered.forEach(function (score, index) { if (!(score in firstAt)) { firstAt[score] = index + 1; } });
    return scores.map(function (score) { return score === null ? null : firstAt[score]; });
  }

  function shownScore(skill, entry) {
    if (!entry.complete || !entry.complete.length) { return null; }
    return hundredths(skill.decrypted && entry.total != null ? entry.total : entry.practical);
  }

  function recount(skill, entry) {
    var done = entry.complete || [];
    entry.marked = {};
    (skill.modules || []).forEach(function (module) {
      entry.marked[String(module.id)] = module.aspects.filter(function (code) { return done.indexOf(code) >= 0; }).length;
    });
  }

  function placeAll(skill) {
    var places = placesOf(skill.entries.map(function (entry) { return shownScore(skill, entry); }));
    skill.entries.forEach(function (entry, index) { entry.place = places[index]; });
  }

  function toggle(list, item, present) {
    var at = list.indexOf(item);
    if (present && at < 0) { list.push(item); }
    if (!present && at >= 0) { list.splice(at, 1); }
  }

  function findSkill(id) {
    return (state.skills || []).filter(function (skill) { return skill.skill === id; })[0];
  }

  function applyDelta(delta) {
    var skill = findSkill(delta.skill);
    if (!skill || !delta.workstation_no) { return; }
    var entry = skill.entries.filter(function (e) { return e.workstation_no === delta.workstation_no; })[0];
    if (!entry) {
      entry = { workstation_no: delta.workstation_no, module_scores: {}, practical: "0", complete: [], marked: {} };
      if (jury) { entry.divergent = []; entry.signed_off = []; }
      skill.entries.push(entry);
      skill.entries.sort(function (a, b) { return a.workstation_no < b.workstation_no ? -1 : 1; });
    }
    ["module_scores", "practical", "total", "names"].forEach(function (name) {
      if (name in delta) { entry[name] = delta[name]; }
    });
    if (delta.kind === "mark" && delta.aspect) {
      entry.complete = entry.complete || [];
      toggle(entry.complete, delta.aspect, !!delta.complete);
      if (jury) { entry.divergent = entry.divergent || []; toggle(entry.divergent, delta.aspect, !!delta.divergent); }
    }
    if (delta.kind === "sheet.signed_off" && jury) {
      var module = (skill.modules || []).filter(function (m) { return m.code === delta.module; })[0];
      if (module) { entry.signed_off = entry.signed_off || []; toggle(entry.signed_off, String(module.id), true); }
    }
    if (delta.kind === "skill.decrypted") { skill.decrypted = true; }
    recount(skill, entry);
    placeAll(skill);
  }

  // --- rendering ------------------------------------------------------------------------------------------------

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content != null) { node.textContent = content; }
    return node;
  }

  function card(skill, entry) {
    var node = el("article", "board-card" + (jury && entry.divergent && entry.divergent.length ? " divergent" : ""));
    node.setAttribute("data-testid", "board-card");
    node.dataset.workstation = entry.workstation_no;
    node.dataset.place = entry.place == null ? "" : String(entry.place);
    var head = el("header", "board-card-head");
    var ws = el("span", "board-ws", text("Ws") + " ");
    ws.appendChild(el("b", null, entry.workstation_no));
    head.appendChild(ws);
    if (skill.provisional !== false) {
      var place = el("span", "board-place" + (entry.place == null ? " unplaced" : ""),
                     entry.place == null ? text("Unplaced") : text("Place", { place: entry.place }));
      place.dataset.field = "place";
      head.appendChild(place);
    }
    node.appendChild(head);
    if (entry.names && entry.names.length) {
      var names = el("p", "board-names", entry.names.join("、"));
      names.dataset.field = "names";
      node.appendChild(names);
    }
    var list = el("ul", "board-modules");
    (skill.modules || []).forEach(function (module) {
      var id = String(module.id);
      var item = el("li");
      item.dataset.module = id;
      item.appendChild(el("span", "board-module-name", module.code + " " + module.name));
      item.appendChild(document.createTextNode(" "));
      var progress = el("span", "board-progress", (entry.marked[id] || 0) + "/" + module.aspects.length);
      progress.dataset.field = "progress";
      item.appendChild(progress);
      item.appendChild(document.createTextNode(" "));
      var score = el("span", "board-module-score", two(entry.module_scores[id]));
      score.dataset.field = "module-score";
      item.appendChild(score);
      if (jury && entry.signed_off && entry.signed_off.indexOf(id) >= 0) {
        item.appendChild(document.createTextNode(" "));
        var signed = el("span", "board-signed", text("Signed"));
        signed.dataset.field = "signed";
        item.appendChild(signed);
      }
      list.appendChild(item);
    });
    node.appendChild(list);
    var figures = el("p", "board-figures");
    var practical = el("span", null, text("Practical") + " ");
    var value = el("b", null, two(entry.practical));
    value.dataset.field = "practical";
    practical.appendChild(value);
    figures.appendChild(practical);
    if (entry.total != null) {
      figures.appendChild(document.createTextNode(" "));
      var total = el("span", null, text("Total") + " ");
      var totalValue = el("b", null, two(entry.total));
      totalValue.dataset.field = "total";
      total.appendChild(totalValue);
      figures.appendChild(total);
    }
    node.appendChild(figures);
    if (jury && entry.divergent && entry.divergent.length) {
      var flag = el("p", "board-flag", text("Divergent") + " " + entry.divergent.join("、"));
      flag.dataset.field = "divergent";
      node.appendChild(flag);
    }
    return node;
  }

  function gridOf(count) {
    var perPage = Math.min(count, pageSize);
    for (var i = 0; i < GRIDS.length; i++) {
      if (perPage <= GRIDS[i][0]) { return GRIDS[i]; }
    }
    return GRIDS[GRIDS.length - 1];
  }

  function renderSkill(skill) {
    var section = root.querySelector('[data-skill-section="' + skill.skill + '"]');
    if (!section) { return; }
    var cards = section.querySelector("[data-cards]");
    var nodes = skill.entries.map(function (entry) { return card(skill, entry); });
    if (!nodes.length) { nodes = [el("p", "muted", text("Empty"))]; }
    cards.replaceChildren.apply(cards, nodes);
    if (screen) {
      var grid = gridOf(skill.entries.length);
      cards.dataset.cols = String(grid[1]);
      cards.dataset.rows = String(grid[2]);
    }
    var note = section.querySelector(".board-note");
    if (note && skill.decrypted) { note.hidden = true; }
  }

  function renderFrozen() {
    var banner = root.querySelector("[data-frozen]");
    if (!banner || state.frozen === undefined) { return; }
    var frozen = state.frozen;
    banner.hidden = !frozen;
    if (!frozen) { banner.textContent = ""; return; }
    if (jury) {
      banner.textContent = text("FrozenJury", { seq: frozen.seq, pending: frozen.pending == null ? 0 : frozen.pending });
      return;
    }
    var since = new Date(frozen.since);
    var shown = isNaN(since.getTime()) ? String(frozen.since || "") : new Intl.DateTimeFormat("zh-CN", {
      hour: "2-digit", minute: "2-digit", hour12: false, timeZone: d.timeZone || undefined }).format(since);
    banner.textContent = text("Frozen", { time: shown });
  }

  function render() {
    (state.skills || []).forEach(renderSkill);
    renderFrozen();
    root.dataset.epoch = state.epoch;
    root.dataset.seq = String(state.seq);
    if (screen) { showScreen(); }
  }

  // --- the big screen: one skill, one screenful at a time -------------------------------------------------------

  var turn = { skill: 0, page: 0 };

  function showScreen() {
    var sections = Array.prototype.slice.call(root.querySelectorAll("[data-skill-section]"));
    if (!sections.length) { return; }
    if (turn.skill >= sections.length) { turn = { skill: 0, page: 0 }; }
    var cardsOf = sections[turn.skill].querySelectorAll("[data-testid=board-card]");
    var pages = Math.max(1, Math.ceil(cardsOf.length / pageSize));
    if (turn.page >= pages) { turn.page = 0; }
    sections.forEach(function (section, index) { section.hidden = index !== turn.skill; });
    Array.prototype.forEach.call(cardsOf, function (node, index) {
      node.hidden = Math.floor(index / pageSize) !== turn.page;
    });
    var label = root.querySelector("[data-page-label]");
    if (label) { label.textContent = pages > 1 ? text("Page", { page: turn.page + 1, pages: pages }) : ""; }
    return pages;
  }

  function nextScreen() {
    var pages = showScreen() || 1;
    var sections = root.querySelectorAll("[data-skill-section]").length;
    if (turn.page + 1 < pages) { turn.page += 1; } else { turn = { skill: (turn.skill + 1) % Math.max(1, sections), page: 0 }; }
    showScreen();
  }

  // --- the connection -------------------------------------------------------------------------------------------

  var status = root.querySelector(".board-status");
  var socket = null;
  var attempt = 0;

  function setStatus(name) {
    if (!status) { return; }
    status.hidden = false;
    status.dataset.state = name;
    status.textContent = text(name === "live" ? "Live" : name === "refused" ? "Refused"
                              : name === "reconnecting" ? "Reconnecting" : "Connecting");
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
  }

  function resume() { send({ type: "resume", epoch: state.epoch, seq: state.seq }); }

  function onSnapshot(frame) {
    state.epoch = frame.epoch;
    state.seq = frame.seq;
    state.skills = frame.skills;
    state.frozen = frame.frozen || null;  // absent: not frozen
    state.skills.forEach(function (skill) {
      skill.entries.forEach(function (entry) {
        entry.complete = entry.complete || [];
        entry.marked = entry.marked || {};
        entry.module_scores = entry.module_scores || {};
      });
    });
    render();
  }

  function onDelta(frame) {
    if (frame.epoch !== state.epoch) {
      if (state.epoch === "" && state.seq === 0) { state.epoch = frame.epoch; } else { resume(); return; }
    }
    if (!state.skills) { resume(); return; }  // a replay before any snapshot in this page's memory
    var changed = false;
    for (var i = 0; i < (frame.deltas || []).length; i++) {
      var delta = frame.deltas[i];
      if (delta.seq <= state.seq) { continue; }  // already applied
      if (delta.seq !== state.seq + 1) { resume(); break; }  // a gap: ask for what is missing
      applyDelta(delta);
      state.seq = delta.seq;
      changed = true;
      // the jury's board moves on while the public one is frozen: one more delta the public has not seen
      if (jury && state.frozen) { state.frozen.pending = (state.frozen.pending || 0) + 1; }
    }
    if (!(frame.deltas || []).length && frame.seq > state.seq) { resume(); }
    if (changed) { render(); }
  }

  function onMessage(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (error) { return; }
    if (frame.type === "snapshot") { onSnapshot(frame); }
    else if (frame.type === "delta") { onDelta(frame); }
    else if (frame.type === "heartbeat" && frame.epoch === state.epoch && frame.seq > state.seq) { resume(); }
  }

  function connect() {
    setStatus(attempt ? "reconnecting" : "connecting");
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/ws/competitions/events/" + encodeURIComponent(d.event) + "/board/?audience=" + encodeURIComponent(d.audience);
    // Without a snapshot in memory the first frame must be one: ask for it by giving no position.
    if (state.skills) { url += "&epoch=" + encodeURIComponent(state.epoch) + "&seq=" + state.seq; }
    socket = new WebSocket(url);
    socket.addEventListener("open", function () { attempt = 0; setStatus("live"); });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      if (REFUSED[event.code]) { setStatus("refused"); return; }
      setStatus("reconnecting");
      var delay = Math.min(30000, 500 * Math.pow(2, attempt));
      attempt += 1;
      window.setTimeout(connect, delay / 2 + Math.random() * delay / 2);
    });
  }

  if (screen) {
    showScreen();
    window.setInterval(nextScreen, turnSeconds * 1000);
  }
  connect();
})();
