// The studio's own script (no framework): sends the CSRF token with every htmx request and
// offers it to other scripts. The token is in <meta name="csrf-token"> (base.html.j2).
(function () {
  "use strict";

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Headers for fetch() calls that change something: { "X-CSRF-Token": "…" }.
  function csrfHeaders() {
    return { "X-CSRF-Token": csrfToken() };
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // Forms marked data-confirm ask before they are sent (delete, deactivate, bulk actions).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    const question =
      (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  window.Studio = { csrfToken: csrfToken, csrfHeaders: csrfHeaders };
})();
