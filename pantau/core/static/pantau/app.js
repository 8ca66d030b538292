// Pantau: small progressive enhancements (no inline scripts: the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Confirm buttons: <button data-confirm="...">
  document.body.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A wide table scrolls sideways inside .table-wrap on a phone: keyboard users must be able to
  // focus that region to scroll it (WCAG 2.1.1). Also for tables that htmx swaps in later.
  function focusableTables(root) {
    root.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
      wrap.setAttribute("tabindex", "0");
    });
  }
  focusableTables(document);
  document.body.addEventListener("htmx:load", function (event) { focusableTables(event.target); });

  // Error summary (server-rendered, like GOV.UK's): move focus to it so screen readers and
  // keyboard users start there; its links focus the field they name.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.body.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus();
    }
  });

  // A conflict (someone saved meanwhile): a button puts their text in the field.
  document.querySelectorAll("[data-use-theirs]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-use-theirs");
      var field = document.getElementById(id);
      var theirs = document.querySelector("[data-theirs-for='" + id + "']");
      if (field && theirs) { field.value = theirs.textContent; field.focus(); }
    });
  });

  // Signing out on a shared device: what a page kept on the device for sending later (IndexedDB
  // databases named "pantau-u<user>-…", whose records are all still unsent) is counted first; the
  // user is warned before the server's answer (Clear-Site-Data) removes it from the device.
  function unsent(prefix) {
    return indexedDB.databases().then(function (list) {
      var names = list.map(function (d) { return d.name || ""; })
        .filter(function (n) { return n.indexOf(prefix) === 0; });
      return Promise.all(names.map(function (name) {
        return new Promise(function (resolve) {
          var open = indexedDB.open(name);
          open.onerror = function () { resolve(0); };
          open.onsuccess = function () {
            var d = open.result, stores = Array.prototype.slice.call(d.objectStoreNames);
            if (!stores.length) { d.close(); resolve(0); return; }
            var t = d.transaction(stores, "readonly"), total = 0;
            stores.forEach(function (s) {
              var c = t.objectStore(s).count();
              c.onsuccess = function () { total += c.result; };
            });
            t.oncomplete = function () { d.close(); resolve(total); };
            t.onerror = t.onabort = function () { d.close(); resolve(0); };
          };
        });
      }));
    }).then(function (counts) { return counts.reduce(function (a, b) { return a + b; }, 0); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, prefix = form.getAttribute("data-device-data");
    if (!prefix || form.getAttribute("data-device-checked") === "1") { return; }
    if (!window.indexedDB || !indexedDB.databases || !window.Promise) { return; }
    event.preventDefault();
    function go() { form.setAttribute("data-device-checked", "1"); form.submit(); }
    unsent(prefix).then(function (n) {
      if (n > 0 && !window.confirm(form.getAttribute("data-device-warning").replace("{n}", n))) { return; }
      go();
    }, go);
  }, true);

  // Busy buttons: a POST form submits once. The clicked button's name/value is already in the
  // submission when the buttons are disabled (next tick); the server refuses replays as well.
  document.body.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") { return; }
    if (form.getAttribute("data-busy") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-busy", "1");
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    var clicked = event.submitter;
    window.setTimeout(function () {
      buttons.forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
        if (b === clicked || (!clicked && b === buttons[0])) { b.classList.add("is-busy"); }
      });
    }, 0);
    // A download answers without leaving the page: let the form be used again.
    window.setTimeout(function () { release(form); }, 10000);
  });
  function release(form) {
    form.removeAttribute("data-busy");
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
      b.classList.remove("is-busy");
    });
  }
  // Back to a page from the browser's cache: its forms are usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { document.querySelectorAll("form[data-busy]").forEach(release); }
  });
});
