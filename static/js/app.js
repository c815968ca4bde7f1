// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Propose the browser's own time zone on the sign-up form.
  function proposeTimezone(root) {
    var select = root.querySelector("select[data-browser-timezone]");
    if (!select || select.dataset.proposed) return;
    select.dataset.proposed = "1";
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
    } catch (e) { /* keep the server's default */ }
  }

  // An Undo lasts 30 seconds (the server refuses it after that): take its bar away by then.
  function expireOffers(root) {
    if (!root.querySelectorAll) return;
    var offers = Array.prototype.slice.call(root.querySelectorAll("[data-expires]"));
    if (root.matches && root.matches("[data-expires]")) offers.push(root);
    offers.forEach(function (offer) {
      if (offer.dataset.timed) return;
      offer.dataset.timed = "1";
      setTimeout(function () { offer.remove(); }, Math.max(1, Number(offer.dataset.expires) - 1) * 1000);
    });
  }

  // After a swap, keep the person where the answer is: a form sent back with errors focuses
  // its first error, a confirmation takes the focus itself (the server marks either with
  // data-take-focus). Without this the page stays put while the answer lands off screen.
  function takeFocus() {
    var marked = document.querySelector("[data-take-focus]");
    if (!marked) return;
    marked.removeAttribute("data-take-focus");
    var field = marked.matches("form") ? marked.querySelector('[aria-invalid="true"]') : null;
    var target = field || (marked.matches("form") ? marked.querySelector(".form-errors, .errorlist") : marked) || marked;
    if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    // The error message sits above its field: bring both into view, then focus the field.
    var shown = field && field.getAttribute("aria-describedby");
    var message = shown && document.getElementById(shown.split(" ").filter(function (id) { return /_error$/.test(id); })[0] || "");
    var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    (message || target).scrollIntoView({ block: "center", behavior: reducedMotion ? "auto" : "smooth" });
    target.focus({ preventScroll: true });
  }

  // The phone's "More" menu is a <details>: it opens and closes without this. With it, Escape
  // or a tap elsewhere closes it, as a menu does.
  function closeMore(focusSummary) {
    var more = document.querySelector("details.nav-more[open]");
    if (!more) return;
    more.open = false;
    if (focusSummary) more.querySelector("summary").focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMore(true);
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("details.nav-more")) closeMore(false);
  });

  document.addEventListener("DOMContentLoaded", function () {
    proposeTimezone(document);
    takeFocus();
    expireOffers(document);
  });
  document.addEventListener("htmx:load", function (event) { expireOffers(event.detail.elt); });
  document.addEventListener("htmx:afterSettle", takeFocus);
})();
