// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce what went wrong.
  const summary = document.querySelector(".ds-error-summary");
  if (summary) {
    summary.focus();
  }
  // The member has seen this page of the topic: remember it (a GET never writes, so the
  // page posts its own read mark; without this script the form's button does it).
  const readMark = document.querySelector("form[data-read-mark]");
  if (readMark) {
    fetch(readMark.action, {
      method: "POST",
      body: new FormData(readMark),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      keepalive: true,
    }).then((response) => {
      if (response.ok) {
        readMark.hidden = true;
      }
    });
  }
});
