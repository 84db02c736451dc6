// Classes: small enhancements; every page works without them.
(function () {
  "use strict";

  // On the run replay, the left and right arrow keys move one step back or on.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select")) {
      return;
    }
    var link = document.querySelector('[data-replay-key="' + event.key + '"]');
    if (link) {
      event.preventDefault();
      link.click();
    }
  });
})();
