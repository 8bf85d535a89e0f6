// Starts Swagger UI on /docs. Kept in a file (not inline) so the page's Content-Security-Policy can forbid inline
// scripts. The OpenAPI URL comes from the page (data-openapi-url), so a proxy prefix (root_path) keeps working.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    // null: never send the spec to the public online validator (its badge is a request to another host)
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
