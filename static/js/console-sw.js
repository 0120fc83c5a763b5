// 技能山东 — the referee console's service worker (competitions.views.console says what it keeps and why).
// Served by /competitions/console-sw.js with its version prepended (self.CONSOLE_VERSION) and registered with
// scope "/": it answers the console pages network first (the cached copy when the network is gone or slow) and
// the files the console asked it to keep; it sees a sign-out's POST and deletes what the tablet keeps; every
// other request, the API's included, goes to the network untouched.
"use strict";

var VERSION = self.CONSOLE_VERSION || "dev";
var PREFIX = "skills-console-";
var OURS = PREFIX + VERSION + "-u";  // + the user's id: one cache per user, never shared
var DATABASE_PREFIX = "skills-console-u";
var CONSOLE_PAGE = /^\/competitions\/skills\/\d+\/console\/$/;
var SIGN_OUT = "/accounts/logout/";
var USER_HEADER = "X-Console-User";
var NETWORK_WAIT_MS = 5000;  // a network slower than this at a venue is as good as none: the cached copy answers

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name.indexOf(OURS) !== 0;  // an older version's caches
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function dropCaches(keepUser) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && (keepUser === undefined || name !== OURS + keepUser);
    }).map(function (name) { return caches.delete(name); }));
  });
}

function dropDatabases(keepUser) {
  if (!self.indexedDB || !indexedDB.databases) { return Promise.resolve(); }
  return indexedDB.databases().then(function (found) {
    return Promise.all(found.filter(function (db) {
      return db.name && db.name.indexOf(DATABASE_PREFIX) === 0
        && (keepUser === undefined || db.name !== DATABASE_PREFIX + keepUser);
    }).map(function (db) {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(db.name);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }));
  });
}

// Everything of every user (a sign-out), or everything but one user's (the console opened as that user).
function forget(keepUser) {
  return Promise.all([dropCaches(keepUser), dropDatabases(keepUser)]);
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

// The console asks, once it is loaded online, for its page and files to be kept under its user.
function keep(user, urls) {
  return dropCaches(user).then(function () { return caches.open(OURS + user); }).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        var page = CONSOLE_PAGE.test(new URL(response.url).pathname);
        if (!response.ok || response.redirected || (page && response.headers.get(USER_HEADER) !== String(user))) {
          throw new Error("not kept: " + url);
        }
        return cache.put(url, response);
      });
    }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  function reply(message) { if (port) { port.postMessage(message); } }
  if (data.type === "keep") {
    event.waitUntil(keep(String(data.user), data.urls || []).then(
      function () { reply({ type: "kept" }); }, function (error) { reply({ type: "not-kept", error: String(error) }); }));
  } else if (data.type === "forget") {
    event.waitUntil(forget(data.keepUser === undefined ? undefined : String(data.keepUser)).then(
      function () { reply({ type: "forgotten" }); }));
  }
});

function offlinePage() {
  return new Response("<!DOCTYPE html><meta charset=utf-8><title>离线 Offline</title><p>离线：此页尚未保存在本机。"
    + "<p>Offline: this page has not been kept on this device.", {
    status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function consolePage(request) {
  return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
    var user = response.headers.get(USER_HEADER);
    if (response.ok && user) {
      var copy = response.clone();
      dropCaches(user).then(function () { return caches.open(OURS + user); })
        .then(function (cache) { return cache.put(request.url, copy); });
      return response;
    }
    if (response.status >= 500) {
      return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
        return kept || response;
      });
    }
    return response;  // the login page after a lapsed session, a 403/404: as the server says
  }, function () {
    return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (kept) {
      return kept || offlinePage();
    });
  });
}

function keptFile(request) {
  return caches.match(request, { ignoreVary: true }).then(function (kept) {
    if (!kept) { return fetch(request); }
    return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
      return response.ok ? response : kept;
    }, function () { return kept; });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === SIGN_OUT) {
    event.waitUntil(forget());  // the sign-out itself goes on to the network, untouched
    return;
  }
  if (request.method !== "GET" || url.pathname.indexOf("/api/") === 0) { return; }
  if (request.mode === "navigate" && CONSOLE_PAGE.test(url.pathname)) {
    event.respondWith(consolePage(request));
  } else if (url.pathname.indexOf("/static/") === 0 || /\/console\/manifest\.webmanifest$/.test(url.pathname)) {
    event.respondWith(keptFile(request));
  }
});
