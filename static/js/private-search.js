// A list's search for an identifier (six or more digits: an ID, certificate, phone or account
// number) is posted instead of put in the URL, so the number stays out of the browser's history
// and of proxies' access logs; the server keeps it in the session and the list's URL carries a
// token (dfed/core/filters.py, dfed.core.views.private_search). Without JavaScript the form
// searches by GET as before.
(function () {
  "use strict";
  var IDENTIFIER = /[0-9\uFF10-\uFF19]{6,}/;

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.privateAction) {
      return;
    }
    var query = form.elements.namedItem("q");
    if (!query || !IDENTIFIER.test(query.value || "")) {
      return;
    }
    form.method = "post";
    form.action = form.dataset.privateAction;
    hidden(form, "csrfmiddlewaretoken", form.dataset.csrf || "");
    hidden(form, "next", window.location.pathname);
  });
})();
