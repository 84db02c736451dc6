// The play page: terminal history on the arrow keys, and keeping every form's action index
// current after htmx updates. The page works as plain forms without any of this.
(function () {
  "use strict";

  var history = [];
  var position = 0;

  function terminalInput() {
    return document.querySelector("#terminal-form input[name='command']");
  }

  function collectHistory() {
    var commands = document.querySelectorAll("#terminal-output .entry-command");
    history = Array.prototype.map
      .call(commands, function (node) {
        return node.textContent;
      })
      .filter(function (text) {
        return text.indexOf("kubectl") === 0;
      });
    position = history.length;
  }

  function currentIndex() {
    var clock = document.getElementById("run-clock");
    return clock ? clock.getAttribute("data-index") : null;
  }

  document.addEventListener("keydown", function (event) {
    var input = terminalInput();
    if (!input || event.target !== input) {
      return;
    }
    if (event.key === "ArrowUp" && position > 0) {
      position -= 1;
      input.value = history[position];
      event.preventDefault();
    } else if (event.key === "ArrowDown" && position < history.length) {
      position += 1;
      input.value = position < history.length ? history[position] : "";
      event.preventDefault();
    }
  });

  // The index tells the server how many actions this page has seen, so a retried or
  // doubled request is recognised; after htmx swaps, the clock carries the current count.
  document.addEventListener("htmx:configRequest", function (event) {
    var index = currentIndex();
    if (index !== null && event.detail.parameters.index !== undefined) {
      event.detail.parameters.index = index;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form) {
      return;
    }
    var suggested = form.querySelector && form.querySelector("input[name='next_update']");
    if (suggested) {
      suggested.removeAttribute("data-edited");
    }
    if (form.id !== "terminal-form") {
      return;
    }
    var input = terminalInput();
    if (input) {
      input.value = "";
      input.focus();
    }
  });

  // A control that an update replaced (the acknowledge button, once acknowledged) would
  // drop keyboard focus to the top of the page; send it to the output that answered.
  var pressed = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    pressed = document.activeElement;
  });

  // The suggested time of the next status update follows the simulated clock until the
  // learner types their own.
  document.addEventListener("input", function (event) {
    if (event.target.name === "next_update") {
      event.target.setAttribute("data-edited", "");
    }
  });

  function suggestNextUpdate() {
    var clock = document.getElementById("run-clock");
    var field = document.querySelector("input[name='next_update']");
    if (clock && field && !field.hasAttribute("data-edited")) {
      field.value = clock.getAttribute("data-next-update");
    }
  }

  document.addEventListener("htmx:afterSettle", function () {
    suggestNextUpdate();
    if (pressed && !document.body.contains(pressed)) {
      var output = document.getElementById("terminal-output");
      if (output) {
        output.focus();
      }
    }
    pressed = null;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "terminal-output") {
      event.detail.target.scrollTop = event.detail.target.scrollHeight;
      collectHistory();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var output = document.getElementById("terminal-output");
    if (output) {
      output.scrollTop = output.scrollHeight;
    }
    collectHistory();
  });
})();
