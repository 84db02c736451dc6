// Small progressive enhancements. Every feature here also works without JavaScript.
(function () {
  "use strict";

  function announce(button, message) {
    var section = button.closest("section");
    var status = section && section.querySelector(".copy-status");
    if (status) {
      status.textContent = message;
    }
    button.textContent = message === "" ? "Copy" : "Copied";
    window.setTimeout(function () {
      button.textContent = "Copy";
    }, 2000);
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var text = button.getAttribute("data-copy");
    var done = function () {
      announce(button, "Copied: " + text);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        if (copyWithSelection(text)) {
          done();
        }
      });
    } else if (copyWithSelection(text)) {
      done();
    }
  });
})();
