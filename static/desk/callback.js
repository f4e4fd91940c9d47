// The callback panel: who to call and when they asked, then by the service's dialer (the
// interaction's userData._dialer, apps/callback/dialer.py):
// - desk (the default): a tel: link to dial, and one button per outcome. An outcome posts to
//   /api/agent/callbacks/<id>/outcome, which completes the work and sets the callback's state
//   (COMPLETED, or SCHEDULED again for a retry).
// - webhook: the telephony system dials and reports the outcome itself, so the panel only
//   says so; the card goes when that outcome completes the interaction (the desk reloads on
//   the agent's realtime event).
// A user-originated callback (userData._call_direction) is a customer who called in and is
// already on the line: no dial, and Connected is the only outcome.
"use strict";

(() => {
  const OUTCOMES = [
    ["CONNECTED", "Connected"],
    ["NO_ANSWER", "No answer"],
    ["BUSY", "Busy"],
    ["WRONG_NUMBER", "Wrong number"],
  ];

  const { element } = Desk;

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
    panel.append(facts, Desk.userData({ userData: own }));
    const inbound = data._call_direction === "USERORIGINATED";
    if (data._dialer === "webhook" && !inbound) {
      const dialled = element("p", { className: "hint" }, "Dialled by the telephony system");
      dialled.dataset.dialledBy = "";
      panel.append(dialled);
      return panel;
    }
    const dial = inbound
      ? element("p", { className: "hint" }, "The customer called in and is on the line")
      : element("a", { className: "button", href: `tel:${number}` }, `Dial ${number}`);
    dial.dataset[inbound ? "calledIn" : "dial"] = "";
    const outcomes = element("div", { className: "controls" });
    const error = element("p", { className: "errors", hidden: true });
    error.setAttribute("role", "alert");
    for (const [outcome, label] of inbound ? OUTCOMES.slice(0, 1) : OUTCOMES) {
      const button = element("button", { type: "button", className: "secondary" }, label);
      button.dataset.outcome = outcome;
      button.addEventListener("click", () => report(interaction.id, outcome, outcomes, error));
      outcomes.append(button);
    }
    panel.append(dial, outcomes, error);
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
