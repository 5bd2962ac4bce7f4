/*! Loyalist storefront widget: a "Rewards" button on the shop's pages that opens a panel
 * with the logged-in customer's balance, tier progress and referral link. No framework,
 * no dependencies, nothing loaded from anywhere but the Loyalist server it came from.
 *
 * The shop's page includes it with the customer's signed link (docs/portal.md):
 *   <script src="https://loyalty.shop.example/static/js/widget.js" defer
 *           data-member="1043" data-expires="1767225600" data-signature="3f1c…"
 *           data-lang="en" data-label="My rewards"></script>
 * The panel is an iframe of /portal/widget on the Loyalist server; the server lets only
 * the shop's origins frame it (LOYALIST_PORTAL__WIDGET_ORIGINS).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.member) { return; }
  var origin = new URL(script.src, window.location.href).origin;
  var data = script.dataset;

  function panelUrl() {
    var query = new URLSearchParams({
      member: data.member,
      expires: data.expires || "",
      signature: data.signature || ""
    });
    if (data.lang) { query.set("lang", data.lang); }
    return origin + "/portal/widget?" + query.toString();
  }

  function place(element, styles) {
    Object.keys(styles).forEach(function (name) { element.style[name] = styles[name]; });
  }

  function build() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "loyalist-widget-button";
    button.textContent = data.label || "Rewards";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "loyalist-widget-panel");
    place(button, {
      position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
      padding: "12px 18px", borderRadius: "999px", border: "0", cursor: "pointer",
      background: data.colour || "#0a58ca", color: "#fff", font: "600 16px system-ui, sans-serif",
      boxShadow: "0 2px 8px rgba(0,0,0,.25)"
    });

    var panel = document.createElement("div");
    panel.id = "loyalist-widget-panel";
    panel.className = "loyalist-widget-panel";
    panel.hidden = true;
    place(panel, {
      position: "fixed", right: "16px", bottom: "76px", zIndex: "2147483000",
      width: "min(360px, calc(100vw - 32px))", height: "min(480px, calc(100vh - 100px))",
      background: "#fff", borderRadius: "12px", overflow: "hidden",
      boxShadow: "0 4px 24px rgba(0,0,0,.3)"
    });

    button.addEventListener("click", function () {
      var open = panel.hidden;
      if (open && !panel.firstChild) {
        var frame = document.createElement("iframe");
        frame.src = panelUrl();
        frame.title = data.label || "Rewards";
        frame.setAttribute("allow", "clipboard-write");
        frame.setAttribute("referrerpolicy", "no-referrer");
        place(frame, { width: "100%", height: "100%", border: "0" });
        panel.appendChild(frame);
      }
      panel.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", build);
  } else {
    build();
  }
})();
