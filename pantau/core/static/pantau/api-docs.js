// Pantau API docs: starts Swagger UI (served from our own static files) with the settings the
// page carries in a JSON data block; no inline script, so it runs under the strict CSP.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  window.ui = SwaggerUIBundle(config);
})();
