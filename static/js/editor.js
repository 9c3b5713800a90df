// The post editor, progressive enhancement of a plain textarea (forms/widgets/
// markdown_textarea.html): a Markdown toolbar with Ctrl/Cmd+B, I and K, a preview tab rendered
// by the server (the same renderer and sanitiser as a saved post), images pasted or dropped
// into the text, and a live count of a title's characters. Without this file the form still
// has its «Forhåndsvis» button and its attachment field.
(() => {
  "use strict";

  const format = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));

  const csrfToken = (form) => form?.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

  // Replace the selection, keeping the browser's undo history where it can.
  const insert = (textarea, text, selectFrom, selectTo) => {
    const start = textarea.selectionStart;
    textarea.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) {
      textarea.setSelectionRange(start + selectFrom, start + selectTo);
    }
  };

  const wrap = (textarea, before, after, placeholder) => {
    // "** word**" is no bold: spaces at the edges of the selection stay outside the marks.
    const { value } = textarea;
    let { selectionStart: start, selectionEnd: end } = textarea;
    while (start < end && /\s/.test(value[start])) start += 1;
    while (end > start && /\s/.test(value[end - 1])) end -= 1;
    textarea.setSelectionRange(start, end);
    const selected = value.slice(start, end);
    if (selected && value.slice(start - before.length, start) === before
        && value.slice(end, end + after.length) === after) {
      // Already wrapped: unwrap, as the shortcut does in a word processor.
      textarea.setSelectionRange(start - before.length, end + after.length);
      insert(textarea, selected, 0, selected.length);
      return;
    }
    const inner = selected || placeholder;
    insert(textarea, before + inner + after, before.length, before.length + inner.length);
  };

  // Whole lines: extend the selection to line boundaries, then prefix every line.
  const prefixLines = (textarea, prefixFor, placeholder) => {
    const { value } = textarea;
    const start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    let end = value.indexOf("\n", textarea.selectionEnd);
    if (end === -1 || textarea.selectionEnd === start) {
      end = end === -1 ? value.length : end;
    }
    textarea.setSelectionRange(start, end);
    const lines = (value.slice(start, end) || placeholder).split("\n");
    const text = lines.map((line, index) => prefixFor(index) + line).join("\n");
    // A block needs a blank line before it to be one, unless it starts the text.
    const lead = start > 0 && value.slice(start - 2, start) !== "\n\n" ? "\n" : "";
    insert(textarea, lead + text, lead.length, lead.length + text.length);
  };

  const actions = {
    bold: (t, s) => wrap(t, "**", "**", s.textBold),
    italic: (t, s) => wrap(t, "_", "_", s.textItalic),
    heading: (t, s) => prefixLines(t, () => "### ", s.textHeading),
    quote: (t, s) => prefixLines(t, () => "> ", s.textQuote),
    bullets: (t, s) => prefixLines(t, () => "- ", s.textItem),
    numbers: (t, s) => prefixLines(t, (i) => `${i + 1}. `, s.textItem),
    code: (t, s) => {
      const selected = t.value.slice(t.selectionStart, t.selectionEnd);
      if (selected.includes("\n")) {
        wrap(t, "```\n", "\n```", s.textCode);
      } else {
        wrap(t, "`", "`", s.textCode);
      }
    },
    link: (t, s) => {
      const selected = t.value.slice(t.selectionStart, t.selectionEnd);
      const label = selected || s.textLink;
      const text = `[${label}](https://)`;
      // The address is what is missing: select it, ready to be typed or pasted over.
      insert(t, text, label.length + 3, text.length - 1);
    },
  };
  const SHORTCUTS = { b: "bold", i: "italic", k: "link" };

  // Arrow keys move between the buttons of a toolbar or a tab list; Tab leaves it.
  const rovingFocus = (container, items, onMove) => {
    container.addEventListener("keydown", (event) => {
      const index = items.indexOf(document.activeElement);
      if (index === -1) {
        return;
      }
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: items.length - 1 - index };
      if (!(event.key in moves)) {
        return;
      }
      event.preventDefault();
      const next = items[(index + moves[event.key] + items.length) % items.length];
      items.forEach((item) => item.setAttribute("tabindex", item === next ? "0" : "-1"));
      next.focus();
      onMove?.(next);
    });
  };

  const setUpPreview = (editor, textarea, bar) => {
    const strings = editor.dataset;
    const panel = editor.querySelector("[data-md-preview]");
    const write = bar.querySelector("[data-md-tab=write]");
    const show = bar.querySelector("[data-md-tab=preview]");
    const toolbar = bar.querySelector(".md-toolbar");
    const id = textarea.id;
    write.id = `${id}-tab-write`;
    show.id = `${id}-tab-preview`;
    panel.id = `${id}-preview`;
    write.setAttribute("aria-controls", id);
    show.setAttribute("aria-controls", panel.id);
    panel.setAttribute("aria-labelledby", show.id);
    let rendered = null;

    const render = async () => {
      if (rendered === textarea.value) {
        return;
      }
      panel.replaceChildren(Object.assign(document.createElement("p"), {
        className: "meta", textContent: strings.textLoading,
      }));
      const body = new FormData();
      body.append("body", textarea.value);
      try {
        const response = await fetch(strings.previewUrl, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": csrfToken(textarea.form), "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        // Sanitised on the server (topics.markdown); parsed, never run: no script in it runs.
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        panel.replaceChildren(...doc.body.childNodes);
        rendered = textarea.value;
      } catch {
        panel.replaceChildren(Object.assign(document.createElement("p"), {
          className: "ds-validation-message", textContent: strings.textPreviewFailed,
        }));
      }
    };

    const select = (tab) => {
      const previewing = tab === show;
      write.setAttribute("aria-selected", String(!previewing));
      show.setAttribute("aria-selected", String(previewing));
      write.tabIndex = previewing ? -1 : 0;
      show.tabIndex = previewing ? 0 : -1;
      textarea.hidden = previewing;
      panel.hidden = !previewing;
      toolbar.hidden = previewing;
      if (previewing) {
        render();
      }
    };
    write.addEventListener("click", () => {
      select(write);
      textarea.focus();
    });
    show.addEventListener("click", () => select(show));
    rovingFocus(bar.querySelector("[role=tablist]"), [write, show], select);

    // The form's own «Forhåndsvis» button opens the tab instead of a round trip.
    textarea.form?.querySelectorAll("[data-preview-button]").forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        select(show);
        show.focus();
        editor.scrollIntoView({ block: "nearest" });
      });
    });
  };

  const setUpToolbar = (editor, textarea, bar) => {
    const buttons = [...bar.querySelectorAll("[data-md]")];
    buttons.forEach((button) => {
      button.setAttribute("aria-controls", textarea.id);
      button.addEventListener("click", () => actions[button.dataset.md](textarea, editor.dataset));
    });
    rovingFocus(bar.querySelector("[role=toolbar]"), buttons);
    textarea.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      const action = SHORTCUTS[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        actions[action](textarea, editor.dataset);
      }
    });
  };

  // Files pasted or dropped into the text: uploaded as drafts of this member (only they see
  // them until the text is sent), with a progress bar each; the Markdown goes where the caret
  // was, and a refused file says why in the page.
  const setUpUploads = (editor, textarea) => {
    const strings = editor.dataset;
    const status = editor.querySelector("[data-md-status]");
    if (!strings.uploadUrl || !status) {
      return;
    }
    let counter = 0;
    let queue = Promise.resolve();

    const upload = (file) => {
      counter += 1;
      const marker = `<!-- ${format(strings.textUploading, { name: file.name })} #${counter} -->`;
      insert(textarea, `${marker}\n`);
      const row = document.createElement("p");
      row.className = "md-upload";
      const label = document.createElement("span");
      label.textContent = format(strings.textUploading, { name: file.name });
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", label.textContent);
      row.append(label, bar);
      status.append(row);

      const finish = (markdown, message, failed) => {
        const at = textarea.value.indexOf(marker);
        if (at !== -1) {
          const end = at + marker.length + (textarea.value[at + marker.length] === "\n" ? 1 : 0);
          const keep = [textarea.selectionStart, textarea.selectionEnd];
          textarea.setRangeText(markdown ? `${markdown}\n` : "", at, end, "preserve");
          textarea.dispatchEvent(new Event("input", { bubbles: true }));
          if (document.activeElement === textarea && keep[0] > at) {
            const shift = (markdown ? markdown.length + 1 : 0) - (end - at);
            textarea.setSelectionRange(keep[0] + shift, keep[1] + shift);
          }
        }
        bar.remove();
        label.textContent = message;
        row.classList.toggle("md-upload--failed", failed);
        if (failed) {
          row.setAttribute("role", "alert");
        } else {
          setTimeout(() => row.remove(), 8000);
        }
      };

      const send = (request) => {
        request.open("POST", strings.uploadUrl);
        request.setRequestHeader("X-CSRFToken", csrfToken(textarea.form));
        request.setRequestHeader("X-Requested-With", "fetch");
        request.responseType = "json";
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) {
            bar.value = Math.round((event.loaded / event.total) * 100);
          }
        });
        request.addEventListener("load", () => {
          const answer = request.response || {};
          if (request.status === 201 && answer.markdown) {
            finish(answer.markdown, format(strings.textUploaded, { name: answer.name }), false);
          } else {
            // A refusal says why; a page instead of an answer (429, 503) says to try again.
            const error = answer.error || strings.textUploadServer;
            finish("", format(strings.textUploadFailed, { name: file.name, error }), true);
          }
        });
        request.addEventListener("error", () => {
          const error = strings.textUploadNetwork;
          finish("", format(strings.textUploadFailed, { name: file.name, error }), true);
        });
        const body = new FormData();
        body.append("file", file, file.name);
        request.send(body);
      };
      // One at a time, in the order they came: each waits for the one before.
      queue = queue.then(() => new Promise((done) => {
        const request = new XMLHttpRequest();
        request.addEventListener("loadend", done);
        send(request);
      }));
    };

    const files = (transfer) => [...(transfer?.files || [])];
    textarea.addEventListener("paste", (event) => {
      const pasted = files(event.clipboardData);
      // Cells copied from a spreadsheet come as text and as a picture of them: the text wins.
      if (pasted.length && !event.clipboardData.getData("text/plain")) {
        event.preventDefault();
        pasted.forEach(upload);
      }
    });
    textarea.addEventListener("dragover", (event) => {
      if ([...(event.dataTransfer?.types || [])].includes("Files")) {
        event.preventDefault();
        textarea.classList.add("md-dragover");
      }
    });
    textarea.addEventListener("dragleave", () => textarea.classList.remove("md-dragover"));
    textarea.addEventListener("drop", (event) => {
      textarea.classList.remove("md-dragover");
      const dropped = files(event.dataTransfer);
      if (dropped.length) {
        event.preventDefault();
        textarea.focus();
        dropped.forEach(upload);
      }
    });
  };

  const setUpEditor = (editor) => {
    const textarea = editor.querySelector("textarea");
    const template = editor.querySelector("template[data-md-toolbar]");
    if (!textarea || !template || !textarea.id) {
      return;
    }
    const bar = template.content.firstElementChild.cloneNode(true);
    textarea.before(bar);
    editor.classList.add("md-editor--enhanced");
    setUpToolbar(editor, textarea, bar);
    setUpPreview(editor, textarea, bar);
    setUpUploads(editor, textarea);
    window.dispatchEvent(new CustomEvent("md-editor:ready", { detail: { editor, textarea } }));
  };

  // A title's length, live: the field has no maxlength that would cut it short silently; the
  // server says the same when it is sent.
  const setUpCounter = (input) => {
    const limit = Number(input.dataset.maxLength);
    const counter = document.createElement("p");
    counter.className = "char-count meta";
    counter.id = `${input.id}-count`;
    const spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    input.after(counter, spoken);
    input.setAttribute("aria-describedby",
      `${input.getAttribute("aria-describedby") || ""} ${counter.id}`.trim());
    let timer = null;
    const update = () => {
      const count = [...input.value].length;
      const over = count - limit;
      counter.textContent = over > 0
        ? format(input.dataset.textOver, { over, limit })
        : format(input.dataset.textCount, { count, limit });
      counter.classList.toggle("char-count--over", over > 0);
      clearTimeout(timer);
      timer = setTimeout(() => {
        spoken.textContent = over > 0 ? counter.textContent : "";
      }, 800);
    };
    input.addEventListener("input", update);
    update();
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-md-editor]").forEach(setUpEditor);
    document.querySelectorAll("input[data-max-length]").forEach(setUpCounter);
  });
})();
