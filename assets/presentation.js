/* Presentation mode (/presentation).

   Keys: ← / PageUp previous slide, → / PageDown next, Home first, End last. They click the page's own buttons, so
   the server decides (callbacks/presentation.py) and the URL keeps the slide (?bild=N). Only on /presentation,
   never while focus is in a form control (the municipality select uses the arrow keys itself), and never with a
   modifier held (Alt+← is the browser's Back).

   The router draws the whole page anew on every URL change, so two things have to outlive a slide:
   - the live region that tells a screen reader which slide is shown ("Bild 3 av 11: …"): a region that is itself
     new is not announced, so it is made once here, outside the page, and fed the position after each render;
   - the focus: a keyboard user who pressed Nästa keeps the focus on Nästa, not on the start of the page. */
(function () {
  "use strict";

  var KEYS = {
    ArrowLeft: "presentation-prev",
    PageUp: "presentation-prev",
    ArrowRight: "presentation-next",
    PageDown: "presentation-next",
    Home: "presentation-first",
    End: "presentation-last"
  };
  var ROOT = "presentation-root";
  var POSITION = "presentation-position";
  var ANNOUNCER = "presentation-announcer";

  var announced = "";
  var lastFocused = null;
  var scheduled = false;

  function onPresentation() {
    return window.location.pathname.replace(/\/+$/, "") === "/presentation";
  }

  function inFormControl(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(
      target.isContentEditable ||
        target.closest("input, select, textarea, [contenteditable=''], [contenteditable='true'], [role='listbox']")
    );
  }

  function announcer() {
    var region = document.getElementById(ANNOUNCER);
    if (!region) {
      region = document.createElement("div");
      region.id = ANNOUNCER;
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("aria-atomic", "true");
      document.body.appendChild(region);
    }
    return region;
  }

  function afterRender() {
    scheduled = false;
    if (!onPresentation()) {
      if (announced) {
        announcer().textContent = "";
        announced = "";
      }
      lastFocused = null;
      return;
    }
    var position = document.getElementById(POSITION);
    if (position) {
      var text = position.textContent.trim();
      if (text && text !== announced) {
        announcer().textContent = text;
        announced = text;
      }
    }
    var active = document.activeElement;
    if (lastFocused && !document.contains(lastFocused) && (!active || active === document.body)) {
      var again = document.getElementById(lastFocused.id);
      if (again) {
        again.focus({ preventScroll: true });
        lastFocused = again;
      }
    }
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(afterRender);
    }
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.id && target.closest && target.closest("#" + ROOT)) {
      lastFocused = target;
    }
  });

  document.addEventListener("focusout", function (event) {
    var left = event.target;
    // Focus moved away on purpose (the element is still there): nothing to give back after the next redraw.
    window.setTimeout(function () {
      if (left === lastFocused && document.contains(left) && document.activeElement !== left) {
        lastFocused = null;
      }
    }, 0);
  });

  document.addEventListener("keydown", function (event) {
    var id = KEYS[event.key];
    if (!id || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (!onPresentation() || inFormControl(event.target)) {
      return;
    }
    var button = document.getElementById(id);
    if (!button) {
      return;
    }
    event.preventDefault();
    button.click();
  });

  function start() {
    announcer();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true });
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
