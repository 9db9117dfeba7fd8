// A select whose options depend on another (data-depends-on="town", data-options-url="…"):
// when the first changes, load the choices for it, so a province's thousands of communities
// are never all in the page. Keyboard and screen readers see an ordinary <select>.
(function () {
  "use strict";
  function init(select) {
    var form = select.form;
    var parent = form && form.elements[select.dataset.dependsOn];
    if (!parent) { return; }
    parent.addEventListener("change", function () {
      var empty = select.options.length ? select.options[0].cloneNode(true) : new Option("", "");
      empty.selected = true;
      select.replaceChildren(empty);
      if (!parent.value) { return; }
      var url = select.dataset.optionsUrl + "?" + select.dataset.dependsOn + "=" +
        encodeURIComponent(parent.value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { options: [] }; })
        .then(function (data) {
          data.options.forEach(function (option) {
            select.add(new Option(option.label, option.value));
          });
        });
    });
  }
  document.querySelectorAll("select[data-depends-on][data-options-url]").forEach(init);
})();
