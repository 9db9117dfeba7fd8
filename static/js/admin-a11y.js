// Loaded by templates/admin/base_site.html (no inline scripts under the Content-Security-Policy).
// Django admin widgets built by script (the two-list selector's search icons, split date and
// time inputs of some apps) come without an accessible name: give them one once they exist
// (this listener runs after the widgets' own "load" listeners).
window.addEventListener("load", () => {
  document.querySelectorAll("span.help-tooltip[aria-label]").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
  document.querySelectorAll("#content input:not([type=hidden]), #content select, #content textarea")
    .forEach((field) => {
      if (field.labels?.length || field.getAttribute("aria-label") || field.title) return;
      const label = [field.closest("p, td, .fieldBox"), field.closest(".form-row")]
        .map((row) => row?.querySelector("label")).find(Boolean)
        ?.textContent.trim().replace(/[:：]$/, "");
      if (label) field.setAttribute("aria-label", label);
    });
});
