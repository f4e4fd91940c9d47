// The little JavaScript of the /manage/ pages: adding and removing rows, live capacity
// totals, the "next day" hint of overnight periods, and times in the viewer's own zone.
// The server renders every page complete; without this file they still show and save.
(function () {
  "use strict";

  // --- rows: [data-add] clones a <template> into a container, [data-remove] drops its row ---
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add]");
    if (add) {
      const template = document.getElementById(add.dataset.add);
      const row = template.content.firstElementChild.cloneNode(true);
      document.getElementById(add.dataset.into).appendChild(row);
      const first = row.querySelector("input, select");
      if (first) first.focus();
      updateTotals();
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) {
      remove.closest("[data-row]").remove();
      updateTotals();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.closest("[data-total-row]")) updateTotals();
    const period = event.target.closest(".period");
    if (period) showOvernight(period);
  });

  // --- capacity: each row's total and the weekly total, as the server computes them ---
  function updateTotals() {
    document.querySelectorAll("[data-total-row]").forEach(function (row) {
      let total = 0;
      row.querySelectorAll("input[type=number]").forEach(function (input) {
        const value = Number(input.value);
        const whole = input.value.trim() !== "" && Number.isInteger(value);
        if (whole) total += value;
        input.closest("td").classList.toggle("zero", !whole || value === 0);
      });
      row.querySelector("[data-total]").textContent = total;
    });
    const weekly = document.querySelector("[data-weekly-total]");
    if (weekly) {
      let total = 0;
      document.querySelectorAll("#week [data-total]").forEach(function (cell) {
        total += Number(cell.textContent);
      });
      weekly.textContent = total;
    }
  }

  // --- office hours: a period closing before it opens ends the next day (00:00 and 24:00 are midnight) ---
  function minutes(text) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }

  function showOvernight(period) {
    const open = minutes(period.querySelector("[data-open]").value);
    const close = minutes(period.querySelector("[data-close]").value);
    const overnight = open !== null && close !== null && close > 0 && close < open;
    period.querySelector(".overnight").hidden = !overnight;
  }

  // --- preview: UTC instants shown in the viewer's zone (the page falls back to UTC) ---
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  document.querySelectorAll("[data-viewer-zone]").forEach(function (element) {
    element.textContent = zone;
  });
  document.querySelectorAll("time[data-start][data-end]").forEach(function (element) {
    const start = new Date(element.dataset.start);
    const end = new Date(element.dataset.end);
    const endDay = day.format(end) === day.format(start) ? "" : day.format(end) + " ";
    element.textContent = day.format(start) + " " + clock.format(start) + "–" + endDay + clock.format(end);
    element.title = element.dataset.start + " – " + element.dataset.end + " (UTC)";
  });
})();
