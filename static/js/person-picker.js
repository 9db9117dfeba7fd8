// Person picker (dfed/people/pickers.py): <select data-person-picker data-lookup-url="…">
// becomes a search-as-you-type box (Tom Select, static/vendor/tom-select). The server does the
// searching — the user's towns, masked ID numbers, whole numbers only without view_sensitive —
// so this script only asks and shows what it is told. Keyboard: type, ↓/↑ to move, Enter to
// choose, Backspace to clear; the field's label, help and error stay attached to the box.
(() => {
  "use strict";
  const selects = document.querySelectorAll("select[data-person-picker]");
  if (!selects.length || typeof window.TomSelect !== "function") return;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };

  const message = (className, text) => {
    const node = el("div", className, text);
    node.setAttribute("role", "option");
    node.setAttribute("aria-disabled", "true");
    return node;
  };

  selects.forEach((select) => {
    const data = select.dataset;
    // The people the server answered for each query: only they are shown for it (the local
    // filter cannot match a masked number, and options of earlier queries stay in memory).
    const answers = new Map();
    const picker = new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxItems: 1,
      maxOptions: null,
      create: false,
      placeholder: data.placeholder,
      loadThrottle: null, // the input is already debounced (refreshThrottle, 300 ms)
      closeAfterSelect: true,
      shouldLoad: (query) => query.trim().length > 0,
      score: (query) => (item) => (answers.get(query)?.has(String(item.value)) ? 1 : 0),
      load(query, callback) {
        const url = new URL(data.lookupUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((answer) => {
            answers.set(query, new Set(answer.results.map((person) => String(person.value))));
            callback(answer.results);
          })
          .catch(() => {
            answers.set(query, new Set());
            callback();
          });
      },
      render: {
        option: (person) => {
          const option = el("div");
          option.append(el("span", "fw-semibold", person.name || person.text));
          if (person.details) option.append(" ", el("span", "small text-body-secondary", person.details));
          return option;
        },
        item: (person) => el("div", null, person.text),
        // Messages in the list are disabled options (a listbox holds options only).
        loading: () => message("loading", data.loading),
        no_results: () => message("no-results", data.noResults),
      },
    });

    // The box, not the hidden <select>, carries the field's help text, error state and the
    // person chosen (read when the box takes focus, announced when it changes).
    const box = picker.control_input;
    const status = el("span", "visually-hidden");
    status.id = `${select.id}-ts-status`;
    status.setAttribute("aria-live", "polite");
    picker.wrapper.after(status);
    const describedBy = [select.getAttribute("aria-describedby"), status.id].filter(Boolean);
    box.setAttribute("aria-describedby", describedBy.join(" "));
    if (select.getAttribute("aria-invalid")) box.setAttribute("aria-invalid", "true");
    if (select.required) box.setAttribute("aria-required", "true");
    const showChosen = () => {
      const chosen = picker.getValue() && picker.options[picker.getValue()];
      status.textContent = chosen ? data.chosen.replace("{person}", chosen.text) : "";
    };
    showChosen();
    picker.on("change", showChosen);
    // Say how many people an answer holds (the list itself is not read out as it fills).
    picker.on("load", (people) => {
      if (!picker.isFocused) return;
      status.textContent = people?.length
        ? data.found.replace("{count}", people.length) : data.noResults;
    });
    // The box is the control now: the hidden <select> (Tom Select only clips it and takes it out
    // of the tab order) leaves the accessibility tree, so there is one combobox of that name.
    // The error summary's link still leads to it: pass focus on.
    select.setAttribute("aria-hidden", "true");
    select.addEventListener("focus", () => picker.focus());
  });
})();
