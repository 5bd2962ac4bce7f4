// The console's own script (no framework, nothing inline: the pages' CSP forbids it).
// - Sign-in: posts JSON to the API's /api/v1/auth steps and follows the stage it answers.
// - Sign-out: the API's sign-out with the session's CSRF token.
// - Charts: every <canvas data-chart="ID"> is drawn with Chart.js from the JSON in the
//   <script type="application/json" id="ID"> next to it (data, not code).
// - Copy buttons: [data-copy="text"] copies its text to the clipboard.
"use strict";

(function () {
  function postJson(url, body, csrf) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    return fetch(url, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body),
      credentials: "same-origin",
    }).then(function (response) {
      return response.text().then(function (text) {
        let data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function signIn(root) {
    const error = root.querySelector("[data-error]");
    const next = root.dataset.next || "/console/";
    // A session already past the password step (a reload) continues where it stands.
    let csrf = root.dataset.csrf || "";
    function show(step) {
      root.querySelectorAll("[data-step]").forEach(function (el) {
        el.hidden = el.dataset.step !== step;
      });
      const first = root.querySelector('[data-step="' + step + '"] input');
      if (first) first.focus();
    }
    function fail(answer) {
      const detail = (answer.data && answer.data.detail) || "Something went wrong, try again.";
      error.textContent = detail;
      error.hidden = false;
    }
    function follow(answer) {
      if (!answer.ok) { fail(answer); return; }
      error.hidden = true;
      csrf = answer.data.csrf_token || csrf;
      const stage = answer.data.stage;
      if (stage === "complete") { window.location.assign(next); return; }
      show(stage);
    }
    function form(step) { return root.querySelector('[data-step="' + step + '"]'); }
    form("password").addEventListener("submit", function (event) {
      event.preventDefault();
      const f = event.target;
      postJson("/api/v1/auth/sign-in", { email: f.email.value, password: f.password.value }).then(follow);
    });
    form("two_factor").addEventListener("submit", function (event) {
      event.preventDefault();
      const f = event.target;
      const body = f.recovery_code.value ? { recovery_code: f.recovery_code.value } : { code: f.code.value };
      postJson("/api/v1/auth/two-factor", body, csrf).then(follow);
    });
    form("enrolment").addEventListener("submit", function (event) {
      event.preventDefault();
      postJson("/api/v1/auth/two-factor/enrolment", { password: event.target.password.value }, csrf).then(function (answer) {
        if (!answer.ok) { fail(answer); return; }
        error.hidden = true;
        // Parsed as HTML (segno's inline SVG has no xmlns); DOMParser runs no script.
        const svg = new DOMParser().parseFromString(answer.data.qr_svg, "text/html").querySelector("svg");
        const box = root.querySelector("[data-qr]");
        box.replaceChildren(document.importNode(svg, true));
        root.querySelector("[data-secret]").textContent = answer.data.secret;
        show("confirm");
      });
    });
    form("confirm").addEventListener("submit", function (event) {
      event.preventDefault();
      postJson("/api/v1/auth/two-factor/enrolment/confirm", { code: event.target.code.value }, csrf).then(function (answer) {
        if (!answer.ok) { fail(answer); return; }
        error.hidden = true;
        const list = root.querySelector("[data-recovery]");
        list.replaceChildren();
        answer.data.recovery_codes.forEach(function (code) {
          const item = document.createElement("li");
          item.textContent = code;
          list.appendChild(item);
        });
        show("recovery");
      });
    });
  }

  function drawCharts(scope) {
    if (typeof window.Chart === "undefined") return;
    scope.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      canvas.dataset.drawn = "1";
      const config = JSON.parse(source.textContent);
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
      new window.Chart(canvas, config);
    });
  }

  function once(el) {
    if (el.dataset.wired) return false;
    el.dataset.wired = "1";
    return true;
  }

  function wire(scope) {
    scope.querySelectorAll("[data-sign-in]").forEach(function (root) { if (once(root)) signIn(root); });
    scope.querySelectorAll("[data-sign-out]").forEach(function (button) {
      if (!once(button)) return;
      button.addEventListener("click", function () {
        postJson("/api/v1/auth/sign-out", {}, button.dataset.csrf).then(function () {
          window.location.assign("/console/sign-in");
        });
      });
    });
    scope.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!once(button)) return;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.dataset.copied = "1";
          const note = button.dataset.copiedLabel;
          if (note) button.textContent = note;
        });
      });
    });
    drawCharts(scope);
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  // Fragments swapped in by HTMX get the same wiring.
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.target); });
})();
