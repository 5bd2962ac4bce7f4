// The member portal's feature pages' own script (no framework, nothing inline: the pages'
// CSP forbids it). Copy-link buttons: [data-copy-link="text"] copies its text to the
// clipboard and then says so (its data-copied-label).
"use strict";

(function () {
  function wire(scope) {
    scope.querySelectorAll("[data-copy-link]").forEach(function (button) {
      if (button.dataset.wired) return;
      button.dataset.wired = "1";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copyLink).then(function () {
          button.dataset.copied = "1";
          const note = button.dataset.copiedLabel;
          if (note) button.textContent = note;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  // Fragments swapped in by HTMX get the same wiring.
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.target); });
})();
