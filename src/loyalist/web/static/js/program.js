// The rule editor: when the editor is re-rendered from the server (a sync, or a refused
// dry run, backtest or publish), what the user typed while the request was on its way wins
// over the server's copy: each field whose value differs from what the request sent keeps
// it, and once htmx has wired the new editor, a change event syncs it in turn.
"use strict";

(function () {
  function fields(root) {
    return root.querySelectorAll("input[id][name]:not([type=hidden]), textarea[id][name], select[id][name]");
  }

  function current(el) {
    return el.type === "checkbox" ? String(el.checked) : el.value;
  }

  function sent(el, form) {
    if (el.type === "checkbox") return String(form.getAll(el.name).includes(el.value));
    const value = form.get(el.name);
    return value === null ? null : String(value);
  }

  function restore(el, value) {
    if (el.type === "checkbox") el.checked = value === "true";
    else el.value = value;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const editor = document.getElementById("editor");
    const config = event.detail.requestConfig;
    if (!editor || event.detail.target !== editor || !config || !config.formData) return;
    const kept = {};
    fields(editor).forEach(function (el) {
      const was = sent(el, config.formData);
      if (was !== null && was !== current(el)) kept[el.id] = current(el);
    });
    editor.dataset.kept = JSON.stringify(kept);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const editor = document.getElementById("editor");
    if (!editor || event.detail.target !== editor || !editor.dataset.kept) return;
    const kept = JSON.parse(editor.dataset.kept);
    delete editor.dataset.kept;
    let last = null;
    Object.keys(kept).forEach(function (id) {
      const el = document.getElementById(id);
      if (el) { restore(el, kept[id]); last = el; }
    });
    if (last) last.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
