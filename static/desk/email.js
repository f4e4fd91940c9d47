// The email panel: who wrote, to which mailbox, the subject and plain text, the customer's
// user data and the attachments, read from /api/agent/emails/<interaction id> when the card
// appears. Attachment links download through the agent API (only the agent holding the email
// may). The agent completes the email with the card's Complete form; replying is not part of
// this server (no SMTP).
"use strict";

(() => {
  const { element } = Desk;

  function size(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function show(panel, email) {
    const facts = element("dl", { className: "user-data" });
    const rows = [
      ["From", "from", `${email.firstName} ${email.lastName} <${email.fromAddress}>`],
      ["To", "mailbox", email.mailbox || "–"],
      ["Subject", "subject", email.subject],
      ["Received", "received", new Date(email.receivedAt).toLocaleString()],
    ];
    for (const [label, name, value] of rows) {
      const cell = element("dd", {}, value);
      cell.dataset[name] = "";
      facts.append(element("dt", {}, label), cell);
    }
    const text = element("pre", { className: "email-text" }, email.text);
    text.dataset.text = "";
    text.style.whiteSpace = "pre-wrap";
    panel.replaceChildren(facts, text, Desk.userData({ userData: email.userData }));
    if (email.attachments.length) {
      const list = element("ul", { className: "attachments" });
      list.dataset.attachments = "";
      for (const attachment of email.attachments) {
        const item = element("li");
        const link = element("a", { href: attachment.url, download: attachment.name });
        link.textContent = attachment.name;
        item.append(link, ` (${size(attachment.size)})`);
        list.append(item);
      }
      panel.append(element("h4", {}, "Attachments"), list);
    }
  }

  function render(interaction) {
    const panel = element("div", { className: "email" });
    panel.append(element("p", { className: "hint" }, "Loading the email…"));
    Desk.api(`emails/${interaction.id}`)
      .then((email) => show(panel, email))
      .catch((failure) => {
        // 404: email work queued some other way (POST /api/interactions) has no email.
        const note =
          failure.status === 404
            ? element("p", { className: "hint" }, "Not posted through the Email API")
            : element("p", { className: "errors" }, failure.message);
        if (failure.status !== 404) note.setAttribute("role", "alert");
        panel.replaceChildren(note, Desk.userData(interaction));
      });
    return panel;
  }

  Desk.panels.register("email", render);
})();
