/* The print page: poll the print's state while it runs (the page reloads when it ends, so its
   buttons match the new state), and fill in what each printer says of itself. */
(function () {
  "use strict";

  var box = document.getElementById("print-status");

  function text(id, value) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var target = element.querySelector("span") || element;
    target.textContent = value || "";
    element.classList.toggle("hidden", !value);
  }

  function poll() {
    window.ktp.getJSON(box.getAttribute("data-url"), true).then(function (reply) {
      var status = reply.body;
      if (reply.status !== 200) {  /* signed out (idle), or the print is gone: the page says */
        window.location.reload();
        return;
      }
      text("status-headline", status.headline);
      text("status-detail", status.detail);
      text("status-action", status.action);
      if (status.poll) {
        box.setAttribute("data-state", status.state);
        window.setTimeout(poll, 1000);
      } else {
        window.location.reload();
      }
    }).catch(function () { window.setTimeout(poll, 3000); });
  }

  if (box && box.getAttribute("data-poll") === "true") {
    window.setTimeout(poll, 1000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-printer-status-url]"), function (badge) {
    window.ktp.getJSON(badge.getAttribute("data-printer-status-url"), true).then(function (reply) {
      var status = reply.body;
      if (reply.status === 401) { return; }
      badge.textContent = status.label || status.message || "?";
      badge.classList.add(status.ready ? "ok" : (status.state === "printing" ? "warn" : "bad"));
      if (status.action) { badge.setAttribute("title", status.action); }
    });
  });
}());
