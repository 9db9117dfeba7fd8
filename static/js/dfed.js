// Small progressive enhancements; every page works without them.
// No inline scripts anywhere (Content-Security-Policy: script-src 'self'): page behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  // A form that came back with errors moves focus to their summary.
  document.getElementById("form-errors")?.focus();
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
