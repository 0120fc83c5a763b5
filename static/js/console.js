// 技能山东 — the offline referee console (templates/competitions/console.html; competitions.views.console says
// what the tablet keeps, when a mark counts as confirmed or refused, and why). Every mark is written to IndexedDB
// with its idempotency key the moment it is saved, before any network attempt, then sent to the API in the order
// typed, one at a time, with the same key on every retry. Every word shown comes from the page's data-t-*
// attributes (the server translates them); the script holds no text of its own.
(function () {
  "use strict";

  var root = document.querySelector("[data-console]");
  if (!root || !window.indexedDB) { return; }
  var T = root.dataset;
  var USER = root.dataset.user;
  var SKILL = root.dataset.skill;
  var DATABASE = "skills-console-u" + USER;  // one per user: nobody else's marks are ever read here
  var RENDERED_AT = Date.parse(root.dataset.renderedAt) || 0;
  var LIVE = ["local", "sent"];  // what still waits for the server's answer
  var REQUEST_TIMEOUT_MS = 15000;
  var BACKOFF_MAX_MS = 30000;

  var database = null;
  var records = [];  // every mark kept on the tablet (all skills of this user), as in IndexedDB
  var drafts = {};  // cell → text typed but not saved
  var sending = false;
  var failures = 0;
  var retryTimer = null;
  var networkTrouble = false;
  var sessionLapsed = false;
  var order = 0;

  // --- IndexedDB -------------------------------------------------------------------------------------------------

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("marks", { keyPath: "key" }).createIndex("cell", "cell");
        db.createObjectStore("drafts", { keyPath: "cell" });
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); database = null; };  // a sign-out deletes it
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(name, mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = database.transaction(name, mode);
      var result;
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
      var request = work(tx.objectStore(name));
      if (request) { request.onsuccess = function () { result = request.result; }; }
    });
  }

  function keepRecord(record) { return store("marks", "readwrite", function (s) { return s.put(record); }); }
  function dropRecord(key) { return store("marks", "readwrite", function (s) { return s.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- what a cell shows -----------------------------------------------------------------------------------------

  function cellId(skill, workstation, aspect) { return skill + "|" + workstation + "|" + aspect; }

  function cellOf(element) {
    return cellId(SKILL, element.dataset.workstation, element.dataset.aspect);
  }

  function same(a, b) { return a !== "" && b !== "" && Number(a) === Number(b); }

  function recordsOf(cell) {
    return records.filter(function (r) { return r.cell === cell; }).sort(function (a, b) { return a.seq - b.seq; });
  }

  function render(element) {
    var cell = cellOf(element);
    var mine = recordsOf(cell);
    var current = null;
    for (var i = mine.length - 1; i >= 0; i--) {
      if (mine[i].state !== "refused") { current = mine[i]; break; }
    }
    var refused = mine.filter(function (r) { return r.state === "refused"; });
    var latest = mine.length ? mine[mine.length - 1] : null;
    var server = element.dataset.serverValue || "";
    var state;
    var shown;
    if (element.dataset.state === "locked" || element.dataset.state === "closed") {
      state = element.dataset.state; shown = server;
    } else if (latest && latest.state === "refused") {
      state = "refused"; shown = current ? current.value : server;
    } else if (current) {
      state = current.state; shown = current.value;
    } else {
      state = server !== "" ? "server" : "unmarked"; shown = server;
    }
    element.dataset.state = state;
    var label = element.querySelector("[data-cell-state]");
    if (label && state !== "locked" && state !== "closed") {
      label.textContent = T["t" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    }
    var value = element.querySelector("[data-cell-value]");
    if (value) { value.textContent = shown; }
    var choices = element.querySelectorAll("[data-choice]");
    for (var c = 0; c < choices.length; c++) {
      choices[c].setAttribute("aria-pressed", same(choices[c].dataset.choice, shown) ? "true" : "false");
    }
    var input = element.querySelector("input[name=value]");
    var note = element.querySelector("[data-cell-note]");
    var draft = drafts[cell];
    if (input && document.activeElement !== input) {
      input.value = draft !== undefined ? draft : shown;
    }
    if (note) { note.textContent = draft !== undefined ? T.tDraft : ""; }
    var list = element.querySelector("[data-refusals]");
    if (list) {
      list.textContent = "";
      refused.forEach(function (r) {
        var item = document.createElement("li");
        item.dataset.code = r.code || "";
        item.dataset.testid = "refusal";
        var text = document.createElement("p");
        text.textContent = T.tRefusedValue + " " + r.value + "：" + (r.message || T.tRefused);
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.dataset.dismiss = r.key;
        dismiss.textContent = T.tDismiss;
        item.appendChild(text);
        item.appendChild(dismiss);
        list.appendChild(item);
      });
    }
  }

  function cells() { return document.querySelectorAll("[data-ccell]"); }

  function renderCell(cell) {
    var all = cells();
    for (var i = 0; i < all.length; i++) { if (cellOf(all[i]) === cell) { render(all[i]); } }
  }

  function renderAll() {
    var all = cells();
    for (var i = 0; i < all.length; i++) { render(all[i]); }
    status();
  }

  function waiting() { return records.filter(function (r) { return LIVE.indexOf(r.state) >= 0; }).length; }

  function status() {
    var net = root.querySelector("[data-console-net]");
    var state = !navigator.onLine ? "offline" : (sessionLapsed ? "signin" : (networkTrouble ? "unstable" : "online"));
    if (net) {
      net.dataset.net = state;
      net.textContent = { offline: T.tOffline, signin: T.tSignin, unstable: T.tUnstable, online: T.tOnline }[state];
    }
    var pending = root.querySelector("[data-console-pending]");
    if (pending) { pending.textContent = String(waiting()); }
    root.dataset.pending = String(waiting());
    var signIn = root.querySelector("[data-console-signin]");
    if (signIn) { signIn.hidden = !sessionLapsed; }
    root.dataset.session = sessionLapsed ? "lapsed" : "ok";
  }

  // --- saving and sending ----------------------------------------------------------------------------------------

  function normalised(text) {
    var value = String(text).trim().replace(/[０-９．]/g, function (ch) {
      return ch === "．" ? "." : String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    }).replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(value) ? value : null;
  }

  // Saved on the tablet first (with a new key), then sent. A value of this cell never sent is replaced; one sent
  // (its fate unknown) or refused (kept until dismissed) stays; an older confirmed one is no longer needed.
  function save(element, text) {
    var value = normalised(text);
    var note = element.querySelector("[data-cell-note]");
    if (value === null) {
      if (note) { note.textContent = T.tNotANumber; }
      return Promise.resolve();
    }
    var cell = cellOf(element);
    var replaced = recordsOf(cell).filter(function (r) { return r.state === "local" || r.state === "confirmed"; });
    var record = {
      key: newKey(), skill: SKILL, cell: cell, workstation_no: element.dataset.workstation,
      aspect_code: element.dataset.aspect, value: value, state: "local", seq: Date.now() * 1000 + (order++ % 1000),
      typed_at: new Date().toISOString(), attempts: 0,
    };
    return keepRecord(record).then(function () {
      records.push(record);
      delete drafts[cell];
      return Promise.all(replaced.map(function (r) { return dropRecord(r.key); })
        .concat([store("drafts", "readwrite", function (s) { return s.delete(cell); })]));
    }).then(function () {
      records = records.filter(function (r) { return replaced.indexOf(r) < 0; });
      render(element);
      status();
      flush();
    });
  }

  function csrfToken() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : root.dataset.csrf;
  }

  function endpoint(record) {
    return root.dataset.api.replace(/\/skills\/\d+\/marks$/, "/skills/" + record.skill + "/marks");
  }

  function refusalText(body) {
    var parts = [body.message || T.tRefused];
    if (body.fields) {
      Object.keys(body.fields).forEach(function (name) { parts = parts.concat(body.fields[name]); });
    }
    return parts.join(" ");
  }

  // One mark to the API: "confirmed", "refused" (a 4xx with its code and message), "retry" (no answer, or a 5xx),
  // or "paused" (the session ended or the CSRF token was refused: nothing is wrong with the mark).
  function send(record) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch(endpoint(record), {
      method: "POST", credentials: "same-origin", signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ workstation_no: record.workstation_no, aspect_code: record.aspect_code,
                             value: record.value, idempotency_key: record.key }),
    }).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          record.state = "confirmed";
          record.confirmed_at = body.updated_at || new Date().toISOString();
          return "confirmed";
        }
        if (response.status === 401 || body.code === "csrf_failed") { return "paused"; }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          record.state = "refused";
          record.code = body.code || "http_" + response.status;
          record.message = refusalText(body);
          return "refused";
        }
        return "retry";
      });
    }, function () {
      clearTimeout(timer);
      return "retry";
    });
  }

  function schedule(outcome) {
    clearTimeout(retryTimer);
    var delay = outcome === "paused" ? BACKOFF_MAX_MS
      : Math.min(BACKOFF_MAX_MS, 1000 * Math.pow(2, Math.min(failures - 1, 5))) * (0.8 + 0.4 * Math.random());
    retryTimer = setTimeout(flush, delay);
  }

  function flush() {
    if (sending || !database) { return; }
    if (!navigator.onLine) { status(); return; }  // the browser knows there is no network: wait for "online"
    sending = true;
    clearTimeout(retryTimer);
    var confirmedAny = false;
    function next() {
      var queue = records.filter(function (r) { return LIVE.indexOf(r.state) >= 0; })
        .sort(function (a, b) { return a.seq - b.seq; });
      if (!queue.length) { failures = 0; return Promise.resolve(); }
      var record = queue[0];
      record.state = "sent";
      record.attempts = (record.attempts || 0) + 1;
      return keepRecord(record).then(function () {
        renderCell(record.cell);
        return send(record);
      }).then(function (outcome) {
        if (outcome === "retry" || outcome === "paused") {
          networkTrouble = outcome === "retry";
          sessionLapsed = outcome === "paused";
          failures += 1;
          record.state = "sent";
          schedule(outcome);
          return null;
        }
        networkTrouble = false;
        sessionLapsed = false;
        failures = 0;
        confirmedAny = confirmedAny || outcome === "confirmed";
        return keepRecord(record).then(function () { renderCell(record.cell); status(); return next(); });
      });
    }
    next().catch(function () { failures += 1; schedule("retry"); }).then(function () {
      sending = false;
      status();
      if (confirmedAny) { keepForOffline(); }  // the kept page then shows what the server holds now
    });
  }

  // --- the service worker, and what a user leaves behind ----------------------------------------------------------

  function askWorker(message) {
    if (!navigator.serviceWorker) { return Promise.resolve(null); }
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function keepForOffline() {
    if (!navigator.onLine || !navigator.serviceWorker) { return; }
    var urls = [window.location.pathname].concat(root.dataset.shell.split(" ").filter(Boolean));
    askWorker({ type: "keep", user: USER, urls: urls }).then(function (answer) {
      if (answer && answer.type === "kept") {
        root.dataset.offlineReady = "1";
        var ready = root.querySelector("[data-console-ready]");
        if (ready) { ready.hidden = false; }
      }
    });
  }

  function forgetOthers() {
    if (!indexedDB.databases) { return Promise.resolve(); }
    return indexedDB.databases().then(function (found) {
      found.forEach(function (db) {
        if (db.name && db.name.indexOf("skills-console-u") === 0 && db.name !== DATABASE) {
          indexedDB.deleteDatabase(db.name);
        }
      });
    }).catch(function () {});
  }

  function forgetMine() {
    if (database) { database.close(); database = null; }
    var dropped = new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DATABASE);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
    var cachesDropped = window.caches ? caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("skills-console-") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }) : Promise.resolve();
    return Promise.all([dropped, cachesDropped]);
  }

  // --- events ----------------------------------------------------------------------------------------------------

  root.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var choice = target && target.closest("[data-choice]");
    if (choice) {
      save(choice.closest("[data-ccell]"), choice.dataset.choice);
      return;
    }
    var dismiss = target && target.closest("[data-dismiss]");
    if (dismiss) {
      var key = dismiss.dataset.dismiss;
      var element = dismiss.closest("[data-ccell]");
      dropRecord(key).then(function () {
        records = records.filter(function (r) { return r.key !== key; });
        render(element);
        status();
      });
    }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-entry]")) { return; }
    event.preventDefault();
    var element = form.closest("[data-ccell]");
    var input = form.querySelector("input[name=value]");
    save(element, input.value).then(function () {
      if (input.value === "" || normalised(input.value) === null) { return; }
      var inputs = Array.prototype.slice.call(root.querySelectorAll("[data-ccell] input[name=value]"));
      var following = inputs[inputs.indexOf(input) + 1];
      if (following && document.activeElement === input) { following.focus(); following.select(); }
      else { input.blur(); }
      render(element);
    });
  });

  root.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "value") { return; }
    var element = input.closest("[data-ccell]");
    var cell = cellOf(element);
    drafts[cell] = input.value;
    var note = element.querySelector("[data-cell-note]");
    if (note) { note.textContent = T.tDraft; }
    if (database) {
      store("drafts", "readwrite", function (s) { return s.put({ cell: cell, text: input.value }); });
    }
  });

  // Signing out from the console: asked first when marks still wait, then the tablet's copy is deleted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !/\/logout\/$/.test(form.getAttribute("action") || "")) { return; }
    if (form.dataset.consoleForgotten) { return; }
    event.preventDefault();
    if (waiting() && !window.confirm(T.tSignout)) { return; }
    forgetMine().then(function () {
      form.dataset.consoleForgotten = "1";
      form.submit();
    });
  }, true);

  window.addEventListener("online", function () { failures = 0; status(); flush(); });
  window.addEventListener("offline", status);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(); } });

  // --- start -----------------------------------------------------------------------------------------------------

  function load() {
    return Promise.all([
      store("marks", "readonly", function (s) { return s.getAll(); }),
      store("drafts", "readonly", function (s) { return s.getAll(); }),
    ]).then(function (found) {
      records = found[0] || [];
      (found[1] || []).forEach(function (d) { if (d.cell.indexOf(SKILL + "|") === 0) { drafts[d.cell] = d.text; } });
      // A confirmed mark the page was rendered after is in the page already (the server's clock on both sides).
      var stale = records.filter(function (r) {
        return r.state === "confirmed" && Date.parse(r.confirmed_at) <= RENDERED_AT;
      });
      records = records.filter(function (r) { return stale.indexOf(r) < 0; });
      return Promise.all(stale.map(function (r) { return dropRecord(r.key); }));
    });
  }

  open().then(function (db) {
    database = db;
    return load();
  }).then(function () {
    renderAll();
    root.dataset.loaded = "1";
    forgetOthers();
    if (navigator.serviceWorker) {
      navigator.serviceWorker.register(root.dataset.worker, { scope: "/" }).then(keepForOffline, function () {});
      if (navigator.serviceWorker.controller) { askWorker({ type: "forget", keepUser: USER }); }
    }
    flush();
  }).catch(function () { root.dataset.loaded = "failed"; });
})();
