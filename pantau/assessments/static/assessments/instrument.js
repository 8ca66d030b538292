// Pantau: the assessment instrument in the field, with or without a signal.
// Every change (answers, and photos/documents as Blobs) is kept in IndexedDB with the revision the
// page showed; when online it is sent to the server (answers: the JSON sync endpoint; evidence:
// one upload each, idempotent by its client token). Conflicts are shown side by side for the
// user to choose. A service worker keeps the page and its static files, so that a reload without
// a signal still opens it, and the waiting changes are put back from IndexedDB.
// No inline script anywhere (the CSP forbids it); without JavaScript the form posts as plain HTML.
(function () {
  "use strict";
  var form = document.getElementById("instrument");
  if (!form || !window.indexedDB || !window.fetch || !window.Promise) { return; }
  var unit = form.getAttribute("data-unit");
  var syncUrl = form.getAttribute("data-sync-url");
  var evidenceUrl = form.getAttribute("data-evidence-url");
  var swUrl = form.getAttribute("data-sw-url");
  // One database per user ("pantau-u<id>-instrument"): on a shared phone one assessor's waiting
  // answers are never shown to, nor sent as, another; signing out removes them (app.js warns first).
  var dbName = form.getAttribute("data-db");
  if (!dbName) { return; }
  var statusEl = document.getElementById("sync-status");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var T = {
    offline: "Luring (tidak ada sinyal)",
    waiting: function (n) { return n + " perubahan menunggu dikirim"; },
    synced: "Semua perubahan tersimpan di server",
    sending: "Mengirim perubahan…",
    conflicts: function (n) { return n + " jawaban bentrok: pilih jawaban yang dipakai"; },
    refused: function (n) { return n + " perubahan ditolak server: lihat pesan di itemnya"; },
    session: "Sesi berakhir atau ditolak: masuk lagi, lalu buka halaman ini. Perubahan tetap tersimpan di perangkat.",
    itemWaiting: "Menunggu dikirim",
    itemSaved: "Tersimpan",
    mine: "Jawaban Anda", stored: "Tersimpan (revisi ",
    useMine: "Pakai jawaban saya", useStored: "Pakai yang tersimpan",
    conflictTitle: "Jawaban ini diubah orang lain sejak halaman Anda dibuka.",
    na: "Tidak berlaku", none: "Belum dijawab",
    pendingEvidence: "menunggu dikirim"
  };
  var kinds = {photo: "Foto", document: "Dokumen", url: "Tautan", note: "Catatan"};
  var lastProblem = "";

  // --- IndexedDB ---------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(dbName, 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("answers", {keyPath: "id"});
          d.createObjectStore("evidence", {keyPath: "token"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function run(store, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var request = work(t.objectStore(store));
        t.oncomplete = function () { resolve(request ? request.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function mine(list) { return (list || []).filter(function (x) { return String(x.unit) === unit; }); }
  function allOf(store) { return run(store, "readonly", function (s) { return s.getAll(); }).then(mine); }
  function put(store, record) { return run(store, "readwrite", function (s) { return s.put(record); }); }
  function remove(store, key) { return run(store, "readwrite", function (s) { return s["delete"](key); }); }
  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function token() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  // --- the form ----------------------------------------------------------------------------
  function fieldset(key) { return document.getElementById("item-" + key); }
  function named(fs, suffix) { return fs.querySelectorAll("[name='" + fs.getAttribute("data-key") + "__" + suffix + "']"); }
  function hidden(fs, suffix) { return named(fs, suffix)[0]; }
  function read(fs) {
    var value = "";
    named(fs, "value").forEach(function (input) {
      if (input.type === "radio") { if (input.checked) { value = input.value; } } else { value = input.value.trim(); }
    });
    var na = named(fs, "na")[0];
    if (na && na.checked) { value = "na"; }
    var reason = named(fs, "reason")[0];
    return {value: value, reason: reason ? reason.value.trim() : ""};
  }
  function write(fs, value, reason) {
    named(fs, "value").forEach(function (input) {
      if (input.type === "radio") { input.checked = input.value === value; } else { input.value = value === "na" ? "" : value; }
    });
    var na = named(fs, "na")[0];
    if (na) { na.checked = value === "na"; }
    var r = named(fs, "reason")[0];
    if (r && reason !== undefined) { r.value = reason; }
  }
  function itemStatus(fs, text, pending) {
    var el = fs.querySelector(".item-status");
    if (el) { el.textContent = text || ""; }
    fs.classList.toggle("pending", !!pending);
  }
  function shown(value, reason) {
    if (value === "na") { return T.na + (reason ? ": " + reason : ""); }
    return value === "" || value === null || value === undefined ? T.none : value;
  }

  function showConflict(fs, record) {
    var old = fs.querySelector(".js-conflict");
    if (old) { old.remove(); }
    if (!record || record.state !== "conflict" || !record.stored) { return; }
    var box = document.createElement("div");
    box.className = "conflict side-by-side js-conflict";
    var title = document.createElement("p");
    title.className = "conflict-title";
    title.textContent = T.conflictTitle;
    var pair = document.createElement("div");
    pair.className = "pair";
    function side(label, text, button, act) {
      var col = document.createElement("div");
      var l = document.createElement("p"); l.className = "muted"; l.textContent = label;
      var v = document.createElement("p"); v.className = "theirs"; v.textContent = text;
      var b = document.createElement("button"); b.type = "button"; b.className = "secondary"; b.textContent = button;
      b.addEventListener("click", act);
      col.appendChild(l); col.appendChild(v); col.appendChild(b);
      return col;
    }
    pair.appendChild(side(T.mine, shown(record.value, record.reason), T.useMine, function () {
      record.revision = record.stored.revision; record.state = "waiting"; delete record.stored;
      hidden(fs, "rev").value = record.revision;
      put("answers", record).then(function () { showConflict(fs, null); return sync(); });
    }));
    pair.appendChild(side(T.stored + record.stored.revision + ")", shown(record.stored.value, record.stored.reason),
      T.useStored, function () {
        write(fs, record.stored.value, record.stored.reason);
        hidden(fs, "rev").value = record.stored.revision;
        hidden(fs, "seen").value = record.stored.value;
        remove("answers", record.id).then(function () { showConflict(fs, null); itemStatus(fs, "", false); render(); });
      }));
    box.appendChild(title); box.appendChild(pair);
    fs.insertBefore(box, fs.querySelector("input[type=hidden]"));
  }

  function listPending(ev) {
    var fs = fieldset(ev.key);
    if (!fs) { return; }
    var list = fs.querySelector(".evidence-list");
    var li = document.getElementById("ev-" + ev.token) || document.createElement("li");
    li.id = "ev-" + ev.token;
    li.className = "pending";
    li.textContent = (kinds[ev.kind] || ev.kind) + ": " + (ev.name || ev.text || "") + " (" +
      (ev.state === "refused" ? ev.message : T.pendingEvidence) + ")";
    if (list && !li.parentNode) { list.appendChild(li); }
  }

  function keep(record) {
    return put("answers", record).then(function () {
      var fs = fieldset(record.key);
      if (fs) { itemStatus(fs, T.itemWaiting, true); }
      return render();
    });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    var fs = input.closest("fieldset.item");
    if (!fs) { return; }
    var key = fs.getAttribute("data-key");
    var name = input.name || "";
    var kind = input.getAttribute("data-kind");
    if (/__(value|na|reason)$/.test(name)) {
      var now = read(fs);
      if (!now.value) { return; }
      get("answers", unit + ":" + key).then(function (old) {
        var record = {id: unit + ":" + key, unit: unit, key: key, value: now.value, reason: now.reason,
                      revision: old && old.state === "conflict" ? old.revision : parseInt(hidden(fs, "rev").value || "0", 10),
                      changed: Date.now(), state: old && old.state === "conflict" ? "conflict" : "waiting",
                      stored: old && old.state === "conflict" ? old.stored : undefined};
        return keep(record).then(function () { if (record.state === "conflict") { showConflict(fs, record); } else { schedule(); } });
      });
    } else if (kind === "photo" || kind === "document") {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      Promise.all(files.map(function (file) {
        var ev = {token: token(), unit: unit, key: key, kind: kind, blob: file, name: file.name, type: file.type,
                  state: "waiting"};
        return put("evidence", ev).then(function () { listPending(ev); });
      })).then(render).then(schedule);
    } else if (kind === "url" || kind === "note") {
      var text = input.value.trim();
      if (!text) { return; }
      input.value = "";
      var ev = {token: token(), unit: unit, key: key, kind: kind, text: text, state: "waiting"};
      put("evidence", ev).then(function () { listPending(ev); return render(); }).then(schedule);
    }
  });

  var dbOk = false;
  form.addEventListener("submit", function (event) {
    if (!dbOk) { return; } // IndexedDB unavailable: the plain HTML form posts
    event.preventDefault();
    // Text fields not yet left (no change event): take them now.
    form.querySelectorAll("[data-kind=url], [data-kind=note]").forEach(function (input) {
      if (input.value.trim()) { input.dispatchEvent(new Event("change", {bubbles: true})); }
    });
    // A returned item is sent again even unchanged: the assessor confirms it, which resolves it.
    form.querySelectorAll("fieldset[data-returned] input[name$='__value']").forEach(function (input) {
      if (input.type !== "radio" || input.checked) { input.dispatchEvent(new Event("change", {bubbles: true})); }
    });
    window.setTimeout(sync, 50);
  });

  // --- sending -----------------------------------------------------------------------------
  var syncing = false, again = false, timer = null;
  function schedule() { window.clearTimeout(timer); timer = window.setTimeout(sync, 400); }
  function post(url, body, json) {
    var headers = {"X-CSRFToken": csrf};
    if (json) { headers["Content-Type"] = "application/json"; }
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers, body: body});
  }

  function applyAnswer(sent, result) {
    var fs = fieldset(result.key);
    return get("answers", sent.id).then(function (now) {
      if (result.status === "saved") {
        if (fs) {
          hidden(fs, "rev").value = result.revision;
          hidden(fs, "seen").value = result.value;
          itemStatus(fs, T.itemSaved, false);
        }
        if (now && now.changed === sent.changed) { return remove("answers", sent.id); }
        if (now) { now.revision = result.revision; return put("answers", now); }
        return undefined;
      }
      if (!now || now.changed !== sent.changed) { return undefined; } // changed meanwhile: send it next time
      if (result.status === "conflict") {
        now.state = "conflict"; now.stored = result.stored;
        if (fs) { itemStatus(fs, "", true); showConflict(fs, now); }
      } else {
        now.state = "refused"; now.message = result.message || "";
        if (fs) { itemStatus(fs, now.message, true); }
      }
      return put("answers", now);
    });
  }

  function sendAnswers() {
    return allOf("answers").then(function (list) {
      var waiting = list.filter(function (a) { return a.state === "waiting"; });
      if (!waiting.length) { return undefined; }
      var body = JSON.stringify({answers: waiting.map(function (a) {
        return {key: a.key, value: a.value, reason: a.reason, revision: a.revision};
      })});
      return post(syncUrl, body, true).then(function (response) {
        if (response.status === 403 || response.redirected) { throw new Error("session"); }
        if (!response.ok) { throw new Error("http " + response.status); }
        return response.json();
      }).then(function (data) {
        var byKey = {};
        waiting.forEach(function (a) { byKey[a.key] = a; });
        return data.answers.reduce(function (chain, result) {
          return chain.then(function () { return byKey[result.key] ? applyAnswer(byKey[result.key], result) : undefined; });
        }, Promise.resolve());
      });
    });
  }

  function sendEvidence() {
    return allOf("evidence").then(function (list) {
      return list.filter(function (e) { return e.state === "waiting"; }).reduce(function (chain, ev) {
        return chain.then(function () {
          var data = new FormData();
          data.append("key", ev.key); data.append("kind", ev.kind); data.append("client_token", ev.token);
          if (ev.blob) { data.append("file", ev.blob, ev.name || "bukti"); }
          if (ev.kind === "url") { data.append("url", ev.text); }
          if (ev.kind === "note") { data.append("note", ev.text); }
          return post(evidenceUrl, data, false).then(function (response) {
            if (response.status === 403 || response.redirected) { throw new Error("session"); }
            return response.json().then(function (body) {
              var li = document.getElementById("ev-" + ev.token);
              if (response.ok && body.status === "saved") {
                if (li) {
                  li.className = "";
                  li.textContent = "";
                  var label = (body.evidence.kind_label || "") + ": " + (body.evidence.label || "");
                  if (body.evidence.href) {
                    var a = document.createElement("a"); a.href = body.evidence.href; a.textContent = label; li.appendChild(a);
                  } else { li.textContent = label; }
                }
                return remove("evidence", ev.token);
              }
              if (response.status >= 500) { throw new Error("http " + response.status); }
              ev.state = "refused"; ev.message = body.message || ("HTTP " + response.status);
              listPending(ev);
              return put("evidence", ev);
            });
          });
        });
      }, Promise.resolve());
    });
  }

  function sync() {
    if (syncing) { again = true; return Promise.resolve(); }
    if (!navigator.onLine) { return render(); }
    syncing = true;
    lastProblem = "";
    setStatus(T.sending, "waiting");
    return sendAnswers().then(sendEvidence).then(keepPage).catch(function (error) {
      lastProblem = error && error.message === "session" ? T.session : "";
    }).then(function () {
      syncing = false;
      if (again) { again = false; return sync(); }
      return render();
    });
  }

  // --- status ------------------------------------------------------------------------------
  function setStatus(text, kind) {
    if (!statusEl) { return; }
    statusEl.hidden = false;
    statusEl.textContent = text;
    statusEl.className = "sync-status " + kind;
    statusEl.setAttribute("data-state", kind);
  }
  function render() {
    return Promise.all([allOf("answers"), allOf("evidence")]).then(function (lists) {
      var answers = lists[0], evidence = lists[1];
      var waiting = answers.filter(function (a) { return a.state === "waiting"; }).length +
        evidence.filter(function (e) { return e.state === "waiting"; }).length;
      var conflicts = answers.filter(function (a) { return a.state === "conflict"; }).length;
      var refused = answers.filter(function (a) { return a.state === "refused"; }).length +
        evidence.filter(function (e) { return e.state === "refused"; }).length;
      var parts = [], kind = "synced";
      if (!navigator.onLine) { parts.push(T.offline); kind = "offline"; }
      if (waiting) { parts.push(T.waiting(waiting)); if (kind === "synced") { kind = "waiting"; } }
      if (conflicts) { parts.push(T.conflicts(conflicts)); kind = "conflict"; }
      if (refused) { parts.push(T.refused(refused)); kind = "conflict"; }
      if (lastProblem) { parts.push(lastProblem); kind = "conflict"; }
      if (!parts.length) { parts.push(T.synced); }
      setStatus(parts.join(" · "), kind);
      statusEl.setAttribute("data-waiting", String(waiting));
    });
  }

  // --- offline page ------------------------------------------------------------------------
  function keepPage() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller && !swReady) { return Promise.resolve(); }
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (event.data && event.data.kept) { document.documentElement.setAttribute("data-offline-ready", "1"); }
          resolve();
        };
        registration.active.postMessage({keep: window.location.pathname}, [channel.port2]);
        window.setTimeout(resolve, 5000);
      });
    });
  }
  var swReady = false;
  if (navigator.serviceWorker && swUrl) {
    navigator.serviceWorker.register(swUrl, {scope: swUrl.replace(/sw\.js$/, "")}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () { swReady = true; return keepPage(); }).catch(function () { /* no offline page */ });
  }

  // --- start: put back what waits, then send it --------------------------------------------
  Promise.all([allOf("answers"), allOf("evidence")]).then(function (lists) {
    lists[0].forEach(function (record) {
      var fs = fieldset(record.key);
      if (!fs) { return; }
      write(fs, record.value, record.reason);
      hidden(fs, "rev").value = record.revision;
      itemStatus(fs, record.state === "refused" ? record.message : T.itemWaiting, true);
      showConflict(fs, record);
    });
    lists[1].forEach(listPending);
    dbOk = true;
    return render();
  }).then(sync).catch(function () { /* IndexedDB refused: the form posts as plain HTML */ });

  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { render(); });
})();
