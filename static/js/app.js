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
    expireOffers(document);
  });
  document.addEventListener("htmx:load", function (event) { expireOffers(event.detail.elt); });
})();
