// Small progressive enhancements; every page works without them.
// No inline scripts anywhere (Content-Security-Policy: script-src 'self'): page behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  // <button data-print>: print the page (no inline handlers under the CSP).
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
  // After a failed submit, move focus to the error summary (templates/includes/form_errors.html)
  // or, on a form without one, to the first invalid field; summary links focus their field.
  const summary = document.getElementById("form-errors");
  const firstInvalid = document.querySelector("main .is-invalid, main [aria-invalid='true']");
  if (summary) summary.focus();
  else if (firstInvalid) firstInvalid.focus();
  summary?.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  });
  // Attendance: live count of ticked members and a "tick all" button.
  const boxes = [...document.querySelectorAll('input[name="present"]')];
  const count = document.getElementById("present-count");
  const all = document.getElementById("tick-all");
  if (boxes.length && count && all) {
    const update = () => { count.textContent = boxes.filter((b) => b.checked).length; };
    boxes.forEach((b) => b.addEventListener("change", update));
    all.hidden = false;
    all.addEventListener("click", () => { boxes.forEach((b) => { b.checked = true; }); update(); });
  }
  // Ask before destructive actions: <form data-confirm="确定要……？">
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Poll a task's progress: <div data-progress-url="…" data-done-url="…">
  document.querySelectorAll("[data-progress-url]").forEach((box) => {
    const bar = box.querySelector(".progress-bar");
    const label = box.querySelector("[data-progress-label]");
    const tick = async () => {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return setTimeout(tick, 2000);
      const data = await response.json();
      const pct = Math.round(data.percent || 0);
      if (bar) { bar.style.width = pct + "%"; bar.setAttribute("aria-valuenow", pct); bar.textContent = pct + "%"; }
      if (label && data.message) label.textContent = data.message;
      if (data.state === "done" || data.state === "failed") {
        if (data.redirect) window.location.assign(data.redirect);
        else if (box.dataset.doneUrl) window.location.assign(box.dataset.doneUrl);
        return;
      }
      setTimeout(tick, 700);
    };
    tick();
  });
});
// Header: show the main menu in the bar only when the whole header fits on one row; otherwise
// collapse it behind the menu button (the user menu, language switch and logout stay visible).
(() => {
  const nav = document.querySelector("[data-fit-nav]");
  if (!nav || !nav.querySelector(".navbar-collapse")) return;
  const box = nav.querySelector(".container-fluid");
  const fit = () => {
    nav.classList.remove("navbar-expand-xxl");
    nav.classList.add("navbar-expand");
    const edge = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
    const over = box.scrollWidth > box.clientWidth
      || [...box.children].some((child) => child.getBoundingClientRect().right > edge + 1);
    if (over) nav.classList.remove("navbar-expand");
  };
  fit();
  let pending;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(fit);
  });
  // Web fonts (the CJK face especially) load late and widen the items: measure again.
  document.fonts?.ready.then(fit);
  document.fonts?.addEventListener?.("loadingdone", fit);
  window.addEventListener("load", fit);
})();
// Wide tables: every table in the page sits in a scroll box (the page itself never scrolls
// sideways on a phone); a box that scrolls is a labelled region reachable by keyboard.
(() => {
  const boxes = () => document.querySelectorAll("main .table-responsive, main [data-scroll-region]");
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive, [data-scroll-region]")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.replaceWith(box);
    box.appendChild(table);
  });
  const label = (box) => {
    const caption = box.querySelector("caption");
    const heading = box.closest("section, .card")?.querySelector("h2, h3, .card-header");
    return (caption || heading)?.textContent.trim() || document.title;
  };
  const mark = () => boxes().forEach((box) => {
    if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(box));
    } else if (box.getAttribute("role") === "region" && !box.dataset.scrollRegion) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
  mark();
  window.addEventListener("resize", mark);
  new MutationObserver(mark).observe(document.querySelector("main") || document.body,
    { childList: true, subtree: true });
})();
