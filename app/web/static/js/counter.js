/* Every counter page: the "/" key jumps to the resident search, forms marked data-confirm ask
   first, ktp.getJSON() reads JSON (a background poll says so), and ktp.send() posts JSON with
   the CSRF token for scripts that talk to the server. */
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) {
      return;
    }
    var search = document.querySelector("[data-search-box]");
    event.preventDefault();
    if (search) {
      search.focus();
      search.select();
    } else {
      window.location.href = document.body.getAttribute("data-search-url") || "/";
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  window.ktp = {
    csrfToken: token,
    /* background: a poll the page makes on its own, which must not keep an idle session
       alive (the server answers 401 once it has idled out: reload to reach the sign-in). */
    getJSON: function (url, background) {
      var headers = {"Accept": "application/json"};
      if (background) { headers["X-KTP-Background"] = "1"; }
      return fetch(url, {headers: headers, credentials: "same-origin"})
        .then(function (response) {
          return response.json().then(function (body) { return {status: response.status, body: body}; });
        });
    },
    send: function (url, data) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token()},
        body: JSON.stringify(data || {})
      });
    }
  };

  var first = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (first) {
    first.focus();
  }
}());

/* Buttons marked data-print print the page (receipts). */
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
