// Dashboard widgets: fetch each widget's JSON, draw it with Chart.js (vendored), build the
// accessible table view from the same figures, and toggle between the two.
(() => {
  "use strict";
  const PALETTE = ["#0b3d91", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#1098ad",
    "#c2255c", "#5c940d", "#495057", "#364fc7"];
  const LOCALE = document.documentElement.lang || "zh-CN";

  const format = (value, kind) => {
    if (value === null || value === undefined || value === "") return "";
    if (kind === "text") return String(value);
    const n = Number(value);
    if (Number.isNaN(n)) return String(value);
    if (kind === "money") {
      return n.toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    if (kind === "percent") return n.toLocaleString(LOCALE, { maximumFractionDigits: 1 }) + "%";
    return n.toLocaleString(LOCALE);
  };

  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function buildTable(data) {
    const table = el("table", { class: "table table-sm table-striped align-middle mb-0" });
    table.appendChild(el("caption", { class: "caption-top" }, data.caption));
    const thead = table.createTHead();
    const headRow = thead.insertRow();
    data.columns.forEach((col) => {
      const th = el("th", { scope: "col" }, col.label);
      if (col.kind !== "text") th.className = "text-end";
      headRow.appendChild(th);
    });
    const tbody = table.createTBody();
    const addRow = (row, parent, bold) => {
      const tr = parent.insertRow();
      row.forEach((value, i) => {
        const kind = data.columns[i].kind;
        const cell = i === 0 ? el("th", { scope: "row" }) : el("td");
        cell.textContent = format(value, kind);
        if (kind !== "text") cell.className = "text-end";
        if (bold) cell.classList.add("fw-semibold");
        tr.appendChild(cell);
      });
    };
    data.rows.forEach((row) => addRow(row, tbody, false));
    if (data.totals) addRow(data.totals, table.createTFoot(), true);
    return table;
  }

  // One line for every chart: how many rows, the largest value of the first series and the
  // total, e.g. "8 项；最高：城关街道 1,204；合计 5,001".
  function summarise(data, labels) {
    const index = data.chart ? data.chart.series[0] : 1;
    const column = data.columns[index];
    if (!column || !data.rows.length) return "";
    const top = data.rows.reduce((best, row) => (Number(row[index]) > Number(best[index]) ? row : best));
    const parts = [`${data.rows.length} ${labels.labelRows}`,
      `${labels.labelMax}：${top[0]} ${format(top[index], column.kind)}`];
    if (data.totals && data.totals[index] !== null && data.totals[index] !== undefined) {
      parts.push(`${labels.labelTotal} ${format(data.totals[index], column.kind)}`);
    }
    return `${column.label}：${parts.join("；")}`;
  }

  function chartConfig(data, type) {
    const labels = data.rows.map((row) => String(row[0]));
    const series = data.chart.series;
    const round = type === "pie" || type === "doughnut";
    const datasets = (round ? series.slice(0, 1) : series).map((index, n) => ({
      label: data.columns[index].label,
      data: data.rows.map((row) => Number(row[index]) || 0),
      backgroundColor: round ? labels.map((_, i) => PALETTE[i % PALETTE.length])
        : PALETTE[n % PALETTE.length],
      borderColor: type === "line" ? PALETTE[n % PALETTE.length] : undefined,
      yAxisID: data.columns[index].kind === "money" && series.length > 1
        && data.columns[series[0]].kind !== "money" ? "y1" : "y",
    }));
    const stacked = type === "stacked";
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: round || datasets.length > 1, position: "bottom" } },
    };
    if (!round) {
      const allCounts = series.every((index) => data.columns[index].kind === "int");
      options.scales = {
        x: { stacked },
        y: { stacked, beginAtZero: true, ticks: allCounts ? { precision: 0 } : {} },
      };
      if (datasets.some((d) => d.yAxisID === "y1")) {
        options.scales.y1 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } };
      }
    }
    return { type: stacked ? "bar" : type, data: { labels, datasets }, options };
  }

  async function loadWidget(card) {
    const status = card.querySelector(".widget-status");
    const chartBox = card.querySelector(".widget-chart");
    const tableBox = card.querySelector(".widget-table");
    const toggle = card.querySelector("[data-toggle-table]");
    // aria-busy: assistive technology (and the axe crawl) wait until the widget is drawn.
    card.setAttribute("aria-busy", "true");
    try {
      await drawWidget(card, { status, chartBox, tableBox, toggle });
    } finally {
      card.setAttribute("aria-busy", "false");
    }
  }

  async function drawWidget(card, { status, chartBox, tableBox, toggle }) {
    let data;
    try {
      const response = await fetch(card.dataset.widgetUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      status.textContent = card.dataset.error;
      return;
    }
    if (!data.available) {
      status.textContent = data.message;
      if (chartBox) chartBox.hidden = true;
      if (toggle) toggle.hidden = true;
      card.classList.add("widget-unavailable");
      return;
    }
    tableBox.replaceChildren(buildTable(data));
    const summary = card.querySelector(".widget-summary");
    if (summary) summary.textContent = summarise(data, summary.dataset);
    status.textContent = data.note || "";
    if (chartBox && window.Chart) {
      const canvas = chartBox.querySelector("canvas");
      // eslint-disable-next-line no-new
      new window.Chart(canvas, chartConfig(data, card.dataset.chart));
    } else if (chartBox) {
      chartBox.hidden = true;
      tableBox.hidden = false;
    }
    card.dataset.loaded = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-widget-url]").forEach((card) => {
      loadWidget(card);
      const toggle = card.querySelector("[data-toggle-table]");
      if (!toggle) return;
      toggle.addEventListener("click", () => {
        const chartBox = card.querySelector(".widget-chart");
        const tableBox = card.querySelector(".widget-table");
        const showTable = toggle.getAttribute("aria-pressed") !== "true";
        tableBox.hidden = !showTable;
        chartBox.hidden = showTable;
        toggle.setAttribute("aria-pressed", String(showTable));
      });
    });
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  });
})();
