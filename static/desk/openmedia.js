// The open media panel: what kind of work it is (the Open Media API's interaction type,
// subtype and media type) and the client's user data as they were when it was queued.
// apps/openmedia/services.py puts the types in the interaction's userData under the
// reserved keys below; every other key is the client's. The agent ends the work with the
// desk's Complete form. A client that stops the work while it is offered takes the offer
// away (the card goes on the agent's realtime event); once accepted, the work stays here
// until the agent completes it.
"use strict";

(() => {
  const FACTS = [
    ["_interactionType", "Type"],
    ["_interactionSubType", "Subtype"],
    ["_mediaType", "Media type"],
    ["_openMediaId", "Interaction"],
  ];
  const RESERVED = new Set(FACTS.map(([key]) => key));

  const { element } = Desk;

  function render(interaction) {
    const data = interaction.userData || {};
    const panel = element("div", { className: "openmedia" });
    const facts = element("dl", { className: "user-data" });
    facts.dataset.facts = "";
    for (const [key, label] of FACTS) {
      const value = element("dd", {}, data[key] || "–");
      value.dataset.fact = key;
      facts.append(element("dt", {}, label), value);
    }
    const own = Object.fromEntries(Object.entries(data).filter(([key]) => !RESERVED.has(key)));
    panel.append(facts, element("h4", {}, "User data"), Desk.userData({ userData: own }));
    return panel;
  }

  Desk.panels.register("openmedia", render);
})();
