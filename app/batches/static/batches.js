/* A batch's page while it runs: every two seconds, move the progress bar, the counts per state
   and each printer's state; say when the cards to act on have changed (their forms need a
   reload); stop once the batch is paused, done or cancelled and no card is printing (resuming
   reloads the page). Labels come from the page, in its language. */
(function () {
  "use strict";

  var live = document.getElementById("batch-live");
  if (!live || live.getAttribute("data-finished") === "true") { return; }
  var printerStates = JSON.parse(live.getAttribute("data-printer-states"));
  var batchStates = JSON.parse(live.getAttribute("data-batch-states"));
  var MOVING = ["running"];  /* paused, done, cancelled: nothing moves once no card prints */
  var printing = live.querySelector("[data-count='printing']");
  var shown = document.querySelector("#batch-state .badge");
  if (shown && shown.classList.contains("batch-paused") && (!printing || printing.textContent.trim() === "0")) {
    return;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function clock(seconds) {
    var s = Math.round(seconds);
    var minutes = Math.floor(s / 60);
    var rest = s % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function show(status) {
    var p = status.progress;
    var bar = document.getElementById("batch-bar");
    bar.max = p.total || 1;
    bar.value = p.done;
    bar.textContent = p.done + " / " + p.total;
    document.getElementById("batch-done").textContent =
      fill(live.getAttribute("data-done"), {done: p.done, total: p.total});
    document.getElementById("batch-rate").textContent = p.per_minute ?
      "· " + fill(live.getAttribute("data-rate"), {rate: p.per_minute.toFixed(1)}) : "";
    document.getElementById("batch-left").textContent = p.seconds_left ?
      "· " + fill(live.getAttribute("data-left"), {time: clock(p.seconds_left)}) : "";
    var spoiled = document.getElementById("batch-spoiled");
    spoiled.textContent = "· " + fill(spoiled.getAttribute("data-text"), {n: p.spoiled});
    spoiled.classList.toggle("hidden", !p.spoiled);
    document.getElementById("batch-stock").classList.toggle("hidden", !p.waiting_for_stock);
    Object.keys(p.counts).forEach(function (state) {
      var cell = live.querySelector("[data-count='" + state + "']");
      if (!cell) { return; }
      cell.textContent = p.counts[state];
      if (state === "held" || state === "failed") {
        cell.parentNode.classList.toggle("alert", p.counts[state] > 0);
      }
    });
    var badge = document.querySelector("#batch-state .badge");
    if (badge) {
      badge.textContent = batchStates[status.state] || status.state;
      badge.className = "badge batch-" + status.state;
    }
    status.printers.forEach(function (printer) {
      var row = document.querySelector("#batch-printers tr[data-printer='" + printer.name + "']");
      if (!row) { return; }
      var state = row.querySelector("[data-field='state']");
      state.textContent = printerStates[printer.state] || printer.state;
      state.className = "badge printer-" + printer.state.replace(" ", "-");
      row.querySelector("[data-field='detail']").textContent = printer.detail || "";
      row.querySelector("[data-field='worker']").textContent = printer.worker || "";
      row.querySelector("[data-field='cards_printed']").textContent = printer.cards_printed;
    });
    if (String(status.failure_count) !== live.getAttribute("data-failures")) {
      document.getElementById("batch-reload").classList.remove("hidden");
    }
    return MOVING.indexOf(status.state) < 0 && !p.counts.printing;
  }

  /* Background polls: they keep no idle session alive. Signed out (401): reload, which leads
     to the sign-in page; refused or gone: stop. */
  function poll() {
    window.ktp.getJSON(live.getAttribute("data-url"), true).then(function (reply) {
      if (reply.status === 401) { window.location.reload(); return; }
      if (reply.status !== 200) { return; }
      if (!show(reply.body)) { window.setTimeout(poll, 2000); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 2000);
}());
