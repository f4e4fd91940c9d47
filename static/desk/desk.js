// The agent desk: state controls, offers and work in progress, kept current by a doorbell.
//
// The agent API (/api/agent/...) is the only source of data. The WebSocket /desk/ws only
// says "something changed": on every event, and whenever the socket (re)connects, the desk
// reloads the agent's state and work from the API, so a lost event never leaves it wrong.
// The socket reconnects with exponential backoff (1 s doubling to 30 s, jittered).
//
// Media panels plug in with Desk.panels.register(media, render): render(interaction) returns
// the DOM node shown in the body of that interaction's card in progress (the card's header
// and Complete form are the desk's). It runs once per interaction, when the card appears; the
// desk keeps the node until the work is completed, so a panel may keep its own state in it.
// Media without a renderer show their user data (Desk.userData, which panels may reuse, as
// they may Desk.element to build their nodes).
// Register from a deferred script loaded after this one: the desk starts on DOMContentLoaded.
"use strict";

const Desk = (() => {
  const MEDIA_LABELS = {
    chat: "Chat",
    email: "Email",
    callback: "Callback",
    openmedia: "Open media",
    voice: "Voice",
  };
  const STATE_LABELS = {
    READY: "Ready",
    NOT_READY: "Not ready",
    BUSY: "Busy",
    LOGGED_OUT: "Logged out",
  };
  const FIRST_RETRY_MS = 1000;
  const LAST_RETRY_MS = 30000;
  // Close codes of /desk/ws (apps/desk/consumers.py).
  const NOT_SIGNED_IN = 4401;
  const NOT_AN_AGENT = 4403;

  const renderers = new Map();
  const offerCards = new Map(); // interaction id -> card element
  const workCards = new Map();
  let root = null;
  let agent = null; // the last state read from the API
  let title = ""; // the page's own title; the number of offers goes in front

  // --- panels ---------------------------------------------------------------------

  const panels = {
    register(media, render) {
      renderers.set(media, render);
    },
  };

  function userData(interaction) {
    const entries = Object.entries(interaction.userData || {});
    if (!entries.length) return element("p", { className: "empty" }, "No user data.");
    const list = element("dl", { className: "user-data" });
    for (const [key, value] of entries) {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      list.append(element("dt", {}, key), element("dd", {}, text));
    }
    return list;
  }

  function element(tag, properties, text) {
    const node = Object.assign(document.createElement(tag), properties);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- the agent API ------------------------------------------------------------------

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  function cookie(name) {
    const pair = document.cookie.split("; ").find((item) => item.startsWith(name + "="));
    return pair ? decodeURIComponent(pair.slice(name.length + 1)) : "";
  }

  // GET or POST a path under /api/agent/; resolves to the JSON body, rejects with ApiError.
  async function api(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json" };
    const options = { method, headers, credentials: "same-origin" };
    if (method !== "GET") headers["X-CSRFToken"] = cookie("csrftoken");
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(root.dataset.api + path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = data.message || `${response.status} ${response.statusText}`;
      throw new ApiError(message, response.status);
    }
    return data;
  }

  // --- reading and showing the state ---------------------------------------------------

  let loading = null;
  let again = false;
  let failedToLoad = false; // the message shown is a reload's, to clear once one succeeds

  // Reload state and work; calls during a reload make one more reload after it, never a race.
  function refresh() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        const [state, work] = await Promise.all([api("state"), api("offers")]);
        show(state, work);
      } while (again);
      if (failedToLoad) report(null);
    })()
      .catch((error) => {
        // Signed out or no longer an agent: the page itself says where to go.
        if (error.status === 403) location.reload();
        report(error);
        failedToLoad = true;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  function show(state, work) {
    agent = state;
    showState(state);
    sync(offerCards, work.offers, "offer-card", () => root.querySelector(".offers"), userData);
    sync(workCards, work.active, "work-card", (i) => panelOf(i.media), (i) => renderer(i)(i));
    document.title = (offerCards.size ? `(${offerCards.size}) ` : "") + title;
    for (const list of root.querySelectorAll("[data-cards]")) {
      list.closest("section").querySelector("[data-count]").textContent =
        list.children.length || "";
    }
    tick();
  }

  function showState(state) {
    const badge = root.querySelector("[data-state]");
    badge.textContent = STATE_LABELS[state.state] || state.state;
    badge.dataset.value = state.state;
    const since = new Date(state.stateSince).toLocaleTimeString();
    const busyDetail = state.declaredState === "READY" ? "ready for more" : "not ready";
    root.querySelector("[data-state-detail]").textContent =
      state.state === "BUSY" ? `${busyDetail} · since ${since}` : `since ${since}`;
    const declared = state.declaredState;
    root.querySelector("[data-action=ready]").disabled = declared === "READY";
    root.querySelector("[data-action=not-ready]").disabled = declared === "NOT_READY";
    root.querySelector("[data-action=logout]").disabled = declared === "LOGGED_OUT";
    root.querySelector("[data-capacity]").replaceChildren(
      ...Object.keys(MEDIA_LABELS)
        .filter((media) => state.capacity[media]?.capacity > 0)
        .map((media) => {
          const { capacity, load } = state.capacity[media];
          const text = `${label(media)} ${load}/${capacity}`;
          return element("li", { className: load ? "held" : "" }, text);
        }),
    );
    root.querySelector("[data-queues]").textContent = state.queues.length
      ? `Serving ${state.queues.join(", ")}`
      : "Serving every queue";
  }

  // Keep one card per interaction: add new ones at the end, drop those gone, refresh fields.
  // Cards are never rebuilt or moved, so what an agent types in one survives every reload.
  function sync(cards, interactions, templateId, containerOf, body) {
    const ids = new Set(interactions.map((i) => i.id));
    for (const [id, card] of cards) {
      if (!ids.has(id)) {
        card.remove();
        cards.delete(id);
      }
    }
    for (const interaction of interactions) {
      let card = cards.get(interaction.id);
      if (!card) {
        card = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
        card.dataset.id = interaction.id;
        card.querySelector("[data-body]").append(body(interaction));
        containerOf(interaction).querySelector("[data-cards]").append(card);
        cards.set(interaction.id, card);
      }
      fill(card, interaction);
    }
  }

  function fill(card, interaction) {
    card.setAttribute("aria-label", `${label(interaction.media)} ${interaction.id}`);
    card.querySelector("[data-field=media]").textContent = label(interaction.media);
    card.querySelector("[data-field=queue]").textContent = interaction.queue;
    card.querySelector("[data-field=id]").textContent = interaction.id;
    for (const time of card.querySelectorAll("time")) {
      const names = time.dataset.since || time.dataset.until || time.dataset.between;
      const [from, to] = names.split(" ");
      time.dataset.from = interaction[from] || "";
      time.dataset.to = interaction[to] || "";
    }
  }

  function label(media) {
    return MEDIA_LABELS[media] || media;
  }

  function panelOf(media) {
    return root.querySelector(`[data-panel~="${media}"]`);
  }

  function renderer(interaction) {
    return renderers.get(interaction.media) || userData;
  }

  // Durations tick every second: waiting, time left to accept, time in progress.
  function tick() {
    const now = Date.now();
    for (const time of root.querySelectorAll("time")) {
      const from = Date.parse(time.dataset.from);
      const to = time.dataset.to ? Date.parse(time.dataset.to) : now;
      const seconds = time.dataset.until ? (from - now) / 1000 : (to - from) / 1000;
      time.textContent = Number.isNaN(seconds) ? "–" : duration(seconds);
      time.dateTime = Number.isNaN(seconds) ? "" : `PT${Math.max(0, Math.round(seconds))}S`;
    }
  }

  function duration(seconds) {
    const total = Math.max(0, Math.round(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  function report(error) {
    failedToLoad = false;
    const box = root.querySelector("[data-error]");
    box.textContent = error ? error.message : "";
    box.hidden = !error;
  }

  // --- actions ---------------------------------------------------------------------------

  // What each control posts; a logged-out agent logs in on the way to Ready or Not ready.
  const ACTIONS = {
    ready: async () => {
      if (agent.declaredState === "LOGGED_OUT") await api("login", { method: "POST" });
      await api("ready", { method: "POST" });
    },
    "not-ready": () =>
      api(agent.declaredState === "LOGGED_OUT" ? "login" : "not-ready", { method: "POST" }),
    logout: () => api("logout", { method: "POST" }),
    accept: (id) => api(`interactions/${id}/accept`, { method: "POST" }),
    reject: (id) => api(`interactions/${id}/reject`, { method: "POST" }),
    complete: (id, form) =>
      api(`interactions/${id}/complete`, {
        method: "POST",
        body: { disposition: form.elements.disposition.value.trim() },
      }),
  };

  async function act(control, name, form) {
    const card = control.closest("[data-id]");
    control.disabled = true;
    try {
      await ACTIONS[name](card && Number(card.dataset.id), form);
      report(null);
    } catch (error) {
      report(error);
    } finally {
      control.disabled = false;
      await refresh();
    }
  }

  function listen() {
    root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) act(button, button.dataset.action);
    });
    root.addEventListener("submit", (event) => {
      const form = event.target.closest("form[data-action]");
      if (!form) return;
      event.preventDefault();
      act(form.querySelector("button[type=submit]"), form.dataset.action, form);
    });
  }

  // --- the doorbell ------------------------------------------------------------------------

  let failures = 0;

  function connect() {
    const url = new URL(root.dataset.socket, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      failures = 0;
      connection("live", "Live");
      refresh();
    });
    socket.addEventListener("message", () => refresh());
    socket.addEventListener("close", (event) => {
      if (event.code === NOT_SIGNED_IN) {
        location.assign(root.dataset.login);
      } else if (event.code === NOT_AN_AGENT) {
        connection("down", "Refused: not an agent");
      } else {
        const backoff = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
        const delay = backoff * (0.5 + Math.random() / 2);
        failures += 1;
        connection("down", `Offline, reconnecting in ${Math.ceil(delay / 1000)} s`);
        setTimeout(connect, delay);
      }
    });
  }

  function connection(state, text) {
    const status = document.querySelector("[data-connection]");
    status.dataset.value = state;
    status.textContent = text;
  }

  function start() {
    root = document.querySelector("[data-desk]");
    title = document.title;
    listen();
    connect();
    setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", start);

  return { panels, userData, element, api, refresh };
})();
