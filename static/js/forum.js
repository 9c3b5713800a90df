// Progressive enhancement only: every page works without this file.
// The header's menus are <details> and work without this: it only closes an open one on
// Escape (focus back on its button), on a click or focus outside it, and when another opens,
// and puts the cursor in the search field when the search opens.
function enhanceHeaderMenus() {
  const menus = [...document.querySelectorAll("details[data-menu]")];
  const closeAll = (except) => {
    for (const menu of menus) {
      if (menu !== except && menu.open) {
        menu.open = false;
      }
    }
  };
  for (const menu of menus) {
    menu.addEventListener("toggle", () => {
      if (!menu.open) {
        return;
      }
      closeAll(menu);
      const search = menu.querySelector(".search-menu__panel input[type=search]");
      if (search) {
        search.focus();
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const open = menus.find((menu) => menu.open);
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  const closeOutside = (event) => {
    for (const menu of menus) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    }
  };
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);
}

// A wide table's hint («rull sidelengs») shows exactly when its table overflows.
function updateScrollHints() {
  for (const hint of document.querySelectorAll("[data-scroll-hint]")) {
    const box = hint.nextElementSibling;
    if (!box) {
      continue;
    }
    const overflows = box.scrollWidth > box.clientWidth + 1;
    hint.hidden = !overflows;
    hint.toggleAttribute("data-overflows", overflows);
  }
}

// «Vurdering» is for experiences: shown only while «Erfaring» is the chosen type. Without
// this the field shows with its help text saying so, and the server ignores it otherwise.
function showVerdictForExperiences() {
  const verdict = document.querySelector("input[name=verdict]");
  const kinds = document.querySelectorAll("input[name=kind]");
  const field = verdict && verdict.closest("fieldset");
  if (!field || kinds.length === 0) {
    return;
  }
  const update = () => {
    const chosen = document.querySelector("input[name=kind]:checked");
    field.hidden = !chosen || chosen.value !== "erfaring";
  };
  for (const kind of kinds) {
    kind.addEventListener("change", update);
  }
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceHeaderMenus();
  showVerdictForExperiences();
  updateScrollHints();
  window.addEventListener("resize", updateScrollHints);
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
