// The public report form, improved when JavaScript runs (everything works without it):
// - the typed fields are kept in this browser (localStorage) and restored after a dropped connection,
//   with the same submission token, so sending again files one report; cleared once it is filed;
// - the registry search runs as you type against the public API (/api/registry/...);
// - a double tap sends once; the confirmation page gets a copy button for the tracking link.
(function () {
  "use strict";

  var done = document.querySelector("[data-report-done]");
  if (done) {
    try { localStorage.removeItem(done.getAttribute("data-report-done")); } catch (e) { /* private mode */ }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      function said() { if (status) status.textContent = button.getAttribute("data-copied-text"); }
      source.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(said, function () { document.execCommand("copy"); said(); });
      } else {
        document.execCommand("copy");
        said();
      }
    });
  });

  var form = document.querySelector("form[data-report-form]");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var status = form.querySelector(".survey-status");
  var send = form.querySelector("button[value=kirim]");
  var note = form.querySelector("[data-draft-note]");
  var list = document.getElementById("pilihan");
  var search = document.getElementById("id_cari");
  var params = new URLSearchParams(window.location.search);
  var linked = params.has("layanan") || params.has("unit") || params.has("instansi");

  function say(text) { if (status) status.textContent = text; }

  function skipped(el) {
    return !el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "aksi" || el.closest(".hp");
  }

  function collect() {
    var data = { values: {}, choice: null };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (skipped(el)) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data.values[el.name] = el.type === "checkbox" ? "on" : el.value;
    });
    var chosen = form.querySelector("input[name=pilih]:checked");
    if (chosen && chosen.value) data.choice = { value: chosen.value, label: chosen.parentNode.textContent.trim() };
    return data;
  }

  function store() {
    try { localStorage.setItem(key, JSON.stringify(collect())); say(form.getAttribute("data-saved-text")); } catch (e) { /* full or private */ }
  }

  function option(value, label, sub, checked) {
    var wrap = document.createElement("label");
    wrap.className = "choice";
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "pilih";
    input.value = value;
    input.checked = !!checked;
    wrap.appendChild(input);
    wrap.appendChild(document.createTextNode(" " + label + " "));
    if (sub) {
      var small = document.createElement("span");
      small.className = "muted";
      small.textContent = "(" + sub + ")";
      wrap.appendChild(small);
    }
    return wrap;
  }

  function noneOption() {
    var radios = list.querySelectorAll("input[name=pilih]");
    return radios.length ? radios[radios.length - 1].parentNode : null;
  }

  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    if (!data || !data.values) return;
    if (document.querySelector(".error-summary") && form.elements.token.value === data.values.token) return; // the server's copy is newer
    if (data.choice && !linked && !list.querySelector("input[name=pilih][value='" + data.choice.value.replace(/[^a-z0-9]/g, "") + "']")) {
      list.insertBefore(option(data.choice.value, data.choice.label, "", false), noneOption());
    }
    Object.keys(data.values).forEach(function (name) {
      if (linked && (name === "pilih" || name === "unit")) return;
      var els = form.querySelectorAll("[name='" + name.replace(/[^a-z_]/g, "") + "']");
      Array.prototype.forEach.call(els, function (el) {
        var value = data.values[name];
        if (el.type === "checkbox") el.checked = value === "on";
        else if (el.type === "radio") el.checked = el.value === value;
        else if (el.type !== "file") el.value = value;
      });
    });
    say(form.getAttribute("data-saved-text"));
  }

  // --- search as you type ------------------------------------------------------------------------------------
  var timer = null;
  var asked = 0;

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; });
  }

  function show(products, institutions) {
    var chosen = form.querySelector("input[name=pilih]:checked");
    var keep = chosen && chosen.value ? chosen.parentNode : null;
    var none = noneOption();
    Array.prototype.slice.call(list.querySelectorAll("label.choice, p.help")).forEach(function (el) {
      if (el !== keep && el !== none) el.remove();
    });
    var items = [];
    products.forEach(function (p) {
      items.push(option("p" + p.id, p.name, (p.unit ? p.unit.name + " — " : "") + (p.institution ? p.institution.name : ""), false));
    });
    institutions.forEach(function (i) {
      items.push(option("i" + i.id, i.name, form.getAttribute("data-institution-text"), false));
    });
    if (!items.length) {
      var p = document.createElement("p");
      p.className = "help";
      p.textContent = form.getAttribute("data-none-found-text");
      items.push(p);
    }
    items.forEach(function (el) {
      var value = el.querySelector && el.querySelector("input") ? el.querySelector("input").value : "";
      if (keep && keep.querySelector("input").value === value) return;
      list.insertBefore(el, none);
    });
  }

  function lookUp() {
    var q = search.value.trim();
    if (q.length < 3 || !window.fetch) return;
    var mine = ++asked;
    var qs = "?limit=6&q=" + encodeURIComponent(q);
    Promise.all([fetchJson(form.getAttribute("data-api-products") + qs),
                 fetchJson(form.getAttribute("data-api-institutions") + qs)])
      .then(function (answers) {
        if (mine !== asked) return; // a newer search is under way
        show(answers[0].items || [], answers[1].items || []);
      })
      .catch(function () { /* offline: the Cari button still searches on the server */ });
  }

  if (search && list && window.fetch) {
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookUp, 350); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); lookUp(); }
    });
    var button = form.querySelector("button[value=cari]");
    if (button) button.addEventListener("click", function (event) {
      if (!navigator.onLine) return;
      event.preventDefault();
      lookUp();
    });
  }

  // --- the draft and the submit ------------------------------------------------------------------------------
  if (note) {
    note.hidden = false;
    var clear = note.querySelector("[data-draft-clear]");
    if (clear) clear.addEventListener("click", function () {
      try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
      form.reset();
      say("");
    });
  }
  restore();
  form.addEventListener("input", function () { clearTimeout(form._store); form._store = setTimeout(store, 500); });
  form.addEventListener("change", store);
  form.addEventListener("submit", function (event) {
    store();
    var submitter = event.submitter;
    if (submitter && submitter.value === "cari") return;
    if (!navigator.onLine) {
      event.preventDefault();
      say(form.getAttribute("data-offline-text"));
      return;
    }
    if (form.getAttribute("data-sending")) { event.preventDefault(); return; } // a double tap sends once
    form.setAttribute("data-sending", "1");
    if (send) { send.setAttribute("aria-disabled", "true"); send.textContent = form.getAttribute("data-sending-text"); }
    say(form.getAttribute("data-sending-text"));
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { form.removeAttribute("data-sending"); if (send) send.removeAttribute("aria-disabled"); }
  });
})();
