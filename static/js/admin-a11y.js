// Loaded by templates/admin/base_site.html (no inline scripts under the Content-Security-Policy).
// Django admin widgets built by script come without an accessible name: the two-list selector's
// search icons, the split date and time inputs of some apps, and the select2 boxes of every
// autocomplete field (autocomplete_fields), whose combobox names itself only by the selected
// text, so an empty one has no name at all. Name them as soon as they exist.
// (The inputs of tabular inlines are labelled server-side: templates/admin/edit_inline/tabular.html.)
(() => {
  const LABEL_END = /[:：]\s*$/;

  const labelText = (label) => label?.textContent.trim().replace(LABEL_END, "") || "";

  // The id of the <label> of a field, given one if it has none.
  const labelId = (field) => {
    const label = field.labels?.[0];
    if (!label) return "";
    if (!label.id) label.id = `${field.id || field.name}-label`;
    return label.id;
  };

  const nameFields = (root) => {
    root.querySelectorAll("span.help-tooltip[aria-label]").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
      if (field.closest(".select2-container")) return; // named below, with their select
      if (field.labels?.length || field.getAttribute("aria-label") || field.title) return;
      const label = [field.closest("p, td, .fieldBox"), field.closest(".form-row")]
        .map((row) => row?.querySelector("label")).find(Boolean);
      const text = labelText(label);
      if (text) field.setAttribute("aria-label", text);
    });
  };

  // select2 (Django's autocomplete widget): the combobox is named by the field's label followed
  // by the selected text (single) or by the label alone (multiple), the text box showing the
  // selection and a multiple select's search box by the label.
  const nameAutocompletes = (root) => {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container?.classList.contains("select2-container")) return; // a template row
      const id = labelId(select);
      const text = select.getAttribute("aria-label");
      const name = (element, ...more) => {
        if (id) element.setAttribute("aria-labelledby", [id, ...more].join(" "));
        else if (text) element.setAttribute("aria-label", text);
      };
      container.querySelectorAll(".select2-selection").forEach((selection) => {
        const rendered = selection.querySelector("span.select2-selection__rendered[id]");
        if (rendered) {
          name(selection, rendered.id);
          name(rendered);
        } else {
          name(selection);
        }
      });
      container.querySelectorAll(".select2-search__field").forEach((search) => name(search));
    });
  };

  const run = (root) => {
    nameAutocompletes(root);
    nameFields(root);
  };

  // select2 sets its boxes up in a jQuery ready handler, which jQuery 3 runs from a timer that may
  // fire after "load"; rows added to a formset get theirs from a "formset:added" listener. Watch
  // for added nodes instead of guessing an order: the observer runs right after the script that
  // inserted them, before anything else (a screen reader, an axe check) can read the page.
  const content = document.getElementById("content") || document.body;
  run(content);
  new MutationObserver((mutations) => {
    const roots = new Set();
    mutations.forEach((mutation) => mutation.addedNodes.forEach((node) => {
      if (node.nodeType === Node.ELEMENT_NODE) roots.add(node.parentElement || node);
    }));
    roots.forEach(run);
  }).observe(content, { childList: true, subtree: true });
})();
