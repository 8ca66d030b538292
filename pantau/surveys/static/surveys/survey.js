// The public survey form, made resumable: every answer is kept in this browser (localStorage,
// per survey) and sent as a partial response; reopening the link after a dropped connection
// restores the answers and the same submission token, so sending twice stores one response.
(function () {
  "use strict";
  var done = document.querySelector("[data-survey-done]");
  if (done) {
    try { localStorage.removeItem("pantau-survey-" + done.getAttribute("data-survey-done")); } catch (e) { /* private mode */ }
    return;
  }
  var form = document.querySelector("form[data-survey]");
  if (!form) return;
  var key = "pantau-survey-" + form.getAttribute("data-survey");
  var status = form.querySelector(".survey-status");
  var button = form.querySelector("button[type=submit]");
  var timer = null;

  function say(text) { if (status) status.textContent = text; }

  function collect() {
    var data = { token: form.elements.token.value, started: form.elements.started.value, values: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.name === "csrfmiddlewaretoken" || el.closest(".hp")) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.type === "checkbox") { (data.values[el.name] = data.values[el.name] || []).push(el.value); return; }
      data.values[el.name] = el.value;
    });
    return data;
  }

  function store() {
    try { localStorage.setItem(key, JSON.stringify(collect())); say(form.getAttribute("data-saved-text")); } catch (e) { /* full or private */ }
  }

  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    if (!data || !data.token || !data.values) return;
    if (form.querySelector(".error-summary") && form.elements.token.value === data.token) return; // the server's copy is newer
    form.elements.token.value = data.token;
    form.elements.started.value = data.started;
    Object.keys(data.values).forEach(function (name) {
      var els = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      Array.prototype.forEach.call(els, function (el) {
        var value = data.values[name];
        if (el.type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
        else if (el.type === "radio") el.checked = el.value === value;
        else el.value = data.values[name];
      });
    });
    say(form.getAttribute("data-saved-text"));
  }

  function sendPartial() {
    if (!navigator.onLine || !window.fetch) return;
    fetch(form.getAttribute("data-save-url"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .catch(function () { /* kept in this browser; sent with the next change or the final submit */ });
  }

  restore();
  form.addEventListener("change", function () {
    store();
    clearTimeout(timer);
    timer = setTimeout(sendPartial, 1500);
  });
  form.addEventListener("submit", function (event) {
    store();
    if (!navigator.onLine) {
      event.preventDefault();
      say(form.getAttribute("data-offline-text"));
      return;
    }
    if (form.getAttribute("data-sending")) { event.preventDefault(); return; } // a double tap sends once
    form.setAttribute("data-sending", "1");
    clearTimeout(timer);
    if (button) { button.disabled = true; button.textContent = form.getAttribute("data-sending-text"); }
    say(form.getAttribute("data-sending-text"));
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && button) { form.removeAttribute("data-sending"); button.disabled = false; }
  });
})();
