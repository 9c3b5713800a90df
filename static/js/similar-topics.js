// Progressive enhancement for the new-topic form: show similar topics while the title is
// typed. Without this file the "Sjekk lignende tråder" button does the same in a round trip.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-similar-url]");
  const title = document.querySelector("input[name=title]");
  if (!panel || !title) {
    return;
  }
  // While typing, the matches belong right under the title.
  const titleField = title.closest(".ds-field");
  if (titleField) {
    titleField.after(panel);
  }
  let timer = null;
  let last = "";
  const fetchSimilar = async () => {
    const value = title.value.trim();
    if (value === last) {
      return;
    }
    last = value;
    if (value.length < 4) {
      panel.replaceChildren();
      return;
    }
    const url = `${panel.dataset.similarUrl}?tittel=${encodeURIComponent(value)}`;
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      if (response.ok && value === title.value.trim()) {
        const html = await response.text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        panel.replaceChildren(...doc.body.childNodes);
      }
    } catch {
      // The button still works; nothing to do.
    }
  };
  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSimilar, 350);
  });
});
