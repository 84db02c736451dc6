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

// After htmx marks a section read, the pressed button is swapped away; keep keyboard focus
// on the control that replaced it instead of dropping it to the top of the page.
(function () {
  "use strict";

  var pending = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var control = event.target.closest && event.target.closest(".read-control, .lesson-end");
    pending = control && trigger && trigger.type === "submit" ? control.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) {
      return;
    }
    var control = document.getElementById(pending);
    pending = null;
    var target = control && (control.querySelector("button, a") || control.querySelector(".read-state"));
    if (target) {
      if (!target.matches("button, a")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  });
})();

// htmx swaps nothing when the server refuses a request (for example a post too large,
// a malformed body or an expired session): say so in the page's alert region instead of
// failing silently. The server answers htmx with one plain sentence.
(function () {
  "use strict";

  var GENERIC = "That did not work. Nothing was saved; reload the page and try again.";

  function plainText(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = (xhr.responseText || "").trim();
    return type.indexOf("text/plain") === 0 && text && text.length < 500 ? text : GENERIC;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("request-error");
    if (!region) {
      return;
    }
    region.textContent = plainText(event.detail.xhr);
    region.hidden = false;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var region = document.getElementById("request-error");
    if (region && event.detail.successful) {
      region.hidden = true;
      region.textContent = "";
    }
  });
})();
