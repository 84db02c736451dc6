// Quiz pages: a countdown for timed attempts, and keyboard focus kept on a discussion
// item that htmx replaced. The server decides when time is up; the countdown only shows it.
(function () {
  "use strict";

  var URGENT_SECONDS = 60;

  function format(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (hours ? hours + ":" + pad(minutes) : minutes) + ":" + pad(rest);
  }

  function startCountdown(element) {
    var deadline = Date.parse(element.getAttribute("data-deadline"));
    if (isNaN(deadline)) {
      return;
    }
    element.setAttribute("role", "timer");
    element.setAttribute("aria-live", "off");
    element.hidden = false;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      element.textContent = left > 0 ? format(left) + " left" : "Time is up";
      element.classList.toggle("is-urgent", left <= URGENT_SECONDS);
      if (left > 0) {
        window.setTimeout(tick, 1000 - (Date.now() % 1000));
      }
    };
    tick();
  }

  function init() {
    document.querySelectorAll(".countdown[data-deadline]").forEach(startCountdown);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  // A submitted discussion form is replaced by its answered item; move focus into the new
  // item so keyboard and screen reader users continue where they were.
  var pendingItem = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var item = event.target.closest && event.target.closest(".discussion-item");
    pendingItem = item ? item.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var item = pendingItem && document.getElementById(pendingItem);
    pendingItem = null;
    var target = null;
    // In order of preference: the message about what just happened, then the control
    // to continue with.
    ["[role=alert]", "[role=status]", "textarea", "input[type=radio]:checked"].some(
      function (selector) {
        target = item && item.querySelector(selector);
        return target !== null;
      }
    );
    if (!target) {
      return;
    }
    if (!target.matches("textarea, input")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });
})();
