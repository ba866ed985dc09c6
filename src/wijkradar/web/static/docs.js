// Starts Swagger UI on /docs. A file rather than an inline script, so the Content-Security-Policy
// can forbid inline script everywhere; the OpenAPI address comes from a data attribute.
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
