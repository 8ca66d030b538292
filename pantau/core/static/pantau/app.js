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
});
