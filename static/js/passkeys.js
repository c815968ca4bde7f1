// Passkeys (WebAuthn) through allauth's own script (mfa/js/webauthn.js): this file wires it to
// the forms marked data-passkey, shows them only where the browser can make or use a passkey,
// and turns a cancelled or failed ceremony into a message on the page instead of the console
// error allauth would log.
(function () {
  "use strict";

  var MESSAGES = {
    NotAllowedError: "The passkey request was cancelled or timed out. Try again, or log in another way.",
    InvalidStateError: "This device already holds a passkey for your account.",
    SecurityError: "Passkeys only work on this site's own address, over HTTPS or on localhost.",
    AbortError: "The passkey request was cancelled. Try again when you are ready."
  };
  var FALLBACK = "Your browser could not use a passkey here. Try again, or log in another way.";

  function say(form, text) {
    var status = document.getElementById(form.dataset.passkeyStatus || "passkey-status");
    if (status) status.textContent = text;
  }

  function wire(form) {
    var kind = form.dataset.passkey;
    var buttonId = form.dataset.passkeyButton;
    var ids = { credential: form.dataset.passkeyCredential };
    ids[{ loginForm: "login", signupForm: "signup", authenticateForm: "authenticate" }[kind]] = buttonId;
    if (form.dataset.passkeyOptions) ids.data = form.dataset.passkeyOptions;
    // Enter in the name field would post the form without a passkey: start the ceremony instead.
    form.addEventListener("submit", function (event) {
      var credential = document.getElementById(ids.credential);
      if (credential && !credential.value) {
        event.preventDefault();
        document.getElementById(buttonId).click();
      }
    });
    window.allauth.webauthn.forms[kind]({ ids: ids });
  }

  var lastForm = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (button && button.form && button.form.dataset.passkey) {
      lastForm = button.form;
      say(lastForm, "");
    }
  }, true);

  document.addEventListener("allauth.error", function (event) {
    event.preventDefault();
    var error = event.detail && event.detail.exception;
    var text = (error && MESSAGES[error.name]) || FALLBACK;
    if (lastForm) say(lastForm, text);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var supported = !!(window.PublicKeyCredential && navigator.credentials);
    document.querySelectorAll("[data-passkey]").forEach(function (form) {
      form.hidden = !supported;
      if (supported) wire(form);
    });
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
      note.hidden = supported;
    });
  });
})();
