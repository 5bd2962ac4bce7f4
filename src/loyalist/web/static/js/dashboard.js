// The dashboard's own script: the charts' tables print open, and the period's dates are
// used only for a custom period (choosing a preset sends the form at once).
"use strict";

(function () {
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details[data-print-open]").forEach(function (d) { d.open = true; });
  });
  document.addEventListener("DOMContentLoaded", function () {
    const select = document.getElementById("period");
    if (!select) return;
    const dates = ["from", "to"].map(function (id) { return document.getElementById(id); });
    function sync() {
      dates.forEach(function (input) { input.disabled = select.value !== "custom"; });
    }
    select.addEventListener("change", function () {
      sync();
      if (select.value !== "custom") select.form.requestSubmit();
    });
    sync();
  });
})();
