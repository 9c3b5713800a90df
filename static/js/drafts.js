// Drafts on the server (topics/drafts.py): a form with data-draft-place sends its title and
// text a few seconds after the member types, and every few seconds while they go on, so the
// text is there on their next visit or on another device. Without this file the form's
// «Lagre utkast» button saves the same draft when pressed.
(() => {
  "use strict";

  const DELAY_MS = 3000;

  const enhance = (form) => {
    const body = form.querySelector("textarea[name=body]");
    if (!body || !form.dataset.draftUrl) return;
    const title = form.querySelector("input[name=title]");
    const status = form.querySelector("[data-draft-status]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
    const current = () => JSON.stringify([title?.value ?? "", body.value]);
    let saved = current(); // what the page came with is the draft already (or nothing)
    let timer = null;
    let sending = false;
    let submitted = false;

    const show = (text) => {
      if (status && text) status.textContent = text;
    };

    const save = async () => {
      timer = null;
      if (submitted || sending) return;
      const now = current();
      if (now === saved) return;
      sending = true;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("place", form.dataset.draftPlace);
      data.append("title", title?.value ?? "");
      data.append("body", body.value);
      try {
        const response = await fetch(form.dataset.draftUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          // Signed out meanwhile, the server sends to the sign-in page: say so, don't follow.
          redirect: "manual",
          headers: { Accept: "application/json", "X-CSRFToken": token },
        });
        if (response.type === "opaqueredirect") {
          show(form.dataset.draftSignedOut);
        } else if (response.status === 413) {
          show(form.dataset.draftTooBig);
        } else {
          const answer = await response.json().catch(() => ({}));
          if (response.ok) {
            saved = now;
            show(answer.message || form.dataset.draftEmpty);
          } else {
            show(answer.error || form.dataset.draftFailed);
          }
        }
      } catch {
        show(form.dataset.draftFailed);
      } finally {
        sending = false;
        if (!submitted && current() !== saved) schedule();
      }
    };

    const schedule = () => {
      if (!timer && !submitted) timer = setTimeout(save, DELAY_MS);
    };

    form.addEventListener("input", schedule);
    // Sending the form publishes (and deletes the draft), previews, or saves it itself.
    form.addEventListener("submit", () => {
      submitted = true;
      clearTimeout(timer);
    });
  };

  document.querySelectorAll("form[data-draft-place]").forEach(enhance);
})();
