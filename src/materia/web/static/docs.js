// Starts Swagger UI on /docs from the files the site serves itself (no CDN, no inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,  // the default badge would ask validator.swagger.io about our spec
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
