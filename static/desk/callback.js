// The callback panel: who to call and when they asked, a tel: link to dial, and one button
// per outcome. An outcome posts to /api/agent/callbacks/<id>/outcome, which completes the
// work and sets the callback's state (COMPLETED, or SCHEDULED again for a retry).
"use strict";

(() => {
  const OUTCOMES = [
    ["CONNECTED", "Connected"],
    ["NO_ANSWER", "No answer"],
    ["BUSY", "Busy"],
    ["WRONG_NUMBER", "Wrong number"],
  ];

  function element(tag, properties, text) {
    const node = Object.assign(document.createElement(tag), properties);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(interaction) {
    const data = interaction.userData || {};
    const number = data._customer_number || "";
    const panel = element("div", { className: "callback" });
    const facts = element("dl", { className: "user-data" });
    const desired = data._desired_time ? new Date(data._desired_time).toLocaleString() : "–";
    facts.append(
      element("dt", {}, "Customer number"),
      element("dd", {}, number || "–"),
      element("dt", {}, "Desired time"),
      element("dd", {}, desired),
    );
    const own = Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith("_")));
    const dial = element("a", { className: "button", href: `tel:${number}` }, `Dial ${number}`);
    dial.dataset.dial = "";
    const outcomes = element("div", { className: "controls" });
    const error = element("p", { className: "errors", hidden: true });
    error.setAttribute("role", "alert");
    for (const [outcome, label] of OUTCOMES) {
      const button = element("button", { type: "button", className: "secondary" }, label);
      button.dataset.outcome = outcome;
      button.addEventListener("click", () => report(interaction.id, outcome, outcomes, error));
      outcomes.append(button);
    }
    panel.append(facts, Desk.userData({ userData: own }), dial, outcomes, error);
    return panel;
  }

  async function report(id, outcome, outcomes, error) {
    const buttons = outcomes.querySelectorAll("button");
    for (const button of buttons) button.disabled = true;
    try {
      await Desk.api(`callbacks/${id}/outcome`, { method: "POST", body: { outcome } });
      error.hidden = true;
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    } finally {
      for (const button of buttons) button.disabled = false;
      await Desk.refresh();
    }
  }

  Desk.panels.register("callback", render);
})();
