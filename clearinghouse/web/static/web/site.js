// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // On narrow screens, fold the filters away so results come first; on wide
  // screens (where the toggle is hidden) they are always open. Without
  // JavaScript they stay open, and a skip link jumps past them.
  function foldFilters() {
    var filters = document.getElementById("filters");
    if (!filters || !window.matchMedia) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 899px)");
    if (narrow.matches) {
      filters.removeAttribute("open");
    }
    var reopen = function (event) {
      if (!event.matches) {
        filters.setAttribute("open", "");
      }
    };
    if (narrow.addEventListener) {
      narrow.addEventListener("change", reopen);
    }
  }

  // Add a "Copy citation" button under each citation box.
  function addCopyButtons() {
    if (!navigator.clipboard) {
      return;
    }
    var boxes = document.querySelectorAll("[data-copy-source]");
    Array.prototype.forEach.call(boxes, function (box) {
      var text = box.querySelector(".citation__text");
      if (!text) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary citation__copy";
      button.textContent = "Copy citation";
      var status = document.createElement("p");
      status.className = "citation__status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text.textContent.trim()).then(
          function () {
            status.textContent = "Citation copied.";
          },
          function () {
            status.textContent = "Could not copy; select the text and copy it instead.";
          }
        );
      });
      box.appendChild(button);
      box.appendChild(status);
    });
  }

  function start() {
    foldFilters();
    addCopyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
