// The card beside an author's name (topics/partials/member_card.html): shown while the
// pointer rests on the name or the name has focus, and closed by Escape, by leaving it or
// by moving focus on. It is put right after the name, so Tab goes from the name into the
// card's link and on. Progressive enhancement only: without this file the name is a link
// to the member's page, which shows all of it.
(() => {
  const SHOW_DELAY = 300;
  const HIDE_DELAY = 300;
  const fragments = new Map();
  let current = null; // {link, card}
  let showTimer = null;
  let hideTimer = null;
  let closedByEscape = null; // the name that Escape gave focus back to: no card on that focus

  const fragment = (url) => {
    if (!fragments.has(url)) {
      const request = fetch(url, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then((response) => (response.ok ? response.text() : null))
        .catch(() => null);
      fragments.set(url, request);
    }
    return fragments.get(url);
  };

  const close = ({ refocus = false } = {}) => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!current) {
      return;
    }
    const { link, card } = current;
    current = null;
    card.remove();
    if (refocus) {
      closedByEscape = link;
      link.focus();
      closedByEscape = null;
    }
  };

  const place = (link, card) => {
    card.style.insetBlockStart = `${link.offsetTop + link.offsetHeight + 4}px`;
    card.style.insetInlineStart = `${link.offsetLeft}px`;
    // Never past the window's right edge (a phone): move it left instead.
    const overflow = card.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) {
      card.style.insetInlineStart = `${Math.max(0, link.offsetLeft - overflow)}px`;
    }
  };

  const open = async (link) => {
    clearTimeout(hideTimer);
    if (current && current.link === link) {
      return;
    }
    const html = await fragment(link.dataset.card);
    // The pointer or the focus may have moved on while the card was fetched.
    if (!html || !(link.matches(":hover") || link === document.activeElement)) {
      return;
    }
    close();
    const card = document.createElement("div");
    card.className = "author-card";
    card.innerHTML = html; // our own fragment, escaped by Django's templates
    card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    card.addEventListener("mouseleave", laterClose);
    card.addEventListener("focusout", leaving);
    link.after(card);
    place(link, card);
    current = { link, card };
  };

  const laterClose = () => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      const inside = current && (current.link.matches(":hover") || current.card.matches(":hover"));
      const focused = current && current.card.contains(document.activeElement);
      if (!inside && !focused && current && current.link !== document.activeElement) {
        close();
      }
    }, HIDE_DELAY);
  };

  const leaving = (event) => {
    if (!current) {
      return;
    }
    const next = event.relatedTarget;
    if (next && (next === current.link || current.card.contains(next))) {
      return;
    }
    close();
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) {
      const focusWasInside =
        current.card.contains(document.activeElement) || current.link === document.activeElement;
      close({ refocus: focusWasInside });
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    for (const link of document.querySelectorAll("a[data-card]")) {
      link.addEventListener("mouseenter", () => {
        clearTimeout(showTimer);
        showTimer = setTimeout(() => open(link), SHOW_DELAY);
      });
      link.addEventListener("mouseleave", laterClose);
      link.addEventListener("focus", () => {
        if (closedByEscape !== link) {
          open(link);
        }
      });
      link.addEventListener("focusout", leaving);
    }
  });
})();
