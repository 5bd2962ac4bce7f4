// The member portal's behaviour: the navigation menu on phones, copy buttons. No framework;
// every page works without it (the menu stays open without script).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function wire(root) {
    root.querySelectorAll("[data-menu]").forEach(function (button) {
      var nav = document.getElementById(button.getAttribute("aria-controls"));
      if (!nav || button.dataset.wired) { return; }
      button.dataset.wired = "1";
      nav.classList.add("closed");
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
        nav.classList.toggle("closed", open);
      });
    });
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.wired) { return; }
      button.dataset.wired = "1";
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        var done = function () {
          var before = button.textContent;
          button.textContent = button.getAttribute("data-copied") || before;
          setTimeout(function () { button.textContent = before; }, 2000);
        };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(text).then(done, function () {});
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });
})();
