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

  document.addEventListener("DOMContentLoaded", function () { proposeTimezone(document); });
})();
