// Pantau: the service worker of the assessment instrument (scope /kelola/penilaian/).
// The instrument pages are fetched network-first and kept for when there is no signal; the
// static files they need are kept from installation. Answers and photos never pass through here:
// the page keeps them in IndexedDB and sends them itself (instrument.js).
"use strict";
var CACHE = "pantau-instrument-" + {{ version|safe }};
var ASSETS = {{ assets|safe }};
var PAGE = /\/kelola\/penilaian\/unit\/\d+\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("pantau-instrument-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page asks for itself to be kept (right after the first visit, and after each sync).
self.addEventListener("message", function (event) {
  var path = event.data && event.data.keep;
  if (!path || !PAGE.test(path)) { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return fetch(path, {credentials: "same-origin"}).then(function (response) {
      if (response.ok && !response.redirected) { return cache.put(path, response).then(function () { return true; }); }
      return false;
    });
  }).catch(function () { return false; }).then(function (kept) {
    if (event.ports && event.ports[0]) { event.ports[0].postMessage({kept: kept}); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (PAGE.test(url.pathname) && url.search === "") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});
