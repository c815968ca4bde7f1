// Take a progress photo with the camera, lined up on a faint copy of the last photo of the
// same angle. The picture joins the form's file input, so it is uploaded like any file.
// Where the camera API is missing (plain HTTP, old browsers) the file input alone remains.
(function () {
  "use strict";

  var stream = null;

  function supported() {
    return window.isSecureContext && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function" &&
      typeof DataTransfer === "function" && typeof HTMLCanvasElement.prototype.toBlob === "function";
  }

  function stop(panel) {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (!panel) return;
    panel.querySelector("[data-camera-video]").srcObject = null;
    ["[data-camera-stage]", "[data-camera-controls]", "[data-camera-hint]"].forEach(function (s) {
      panel.querySelector(s).hidden = true;
    });
    panel.querySelector("[data-camera-start]").hidden = false;
  }

  function setUp(root) {
    var panel = root.querySelector ? root.querySelector("[data-camera]") : null;
    if (!panel || panel.dataset.ready || !supported()) return;
    panel.dataset.ready = "1";
    var form = panel.closest("form");
    var input = form.querySelector("input[type=file][name=photos]");
    var video = panel.querySelector("[data-camera-video]");
    var overlay = panel.querySelector("[data-camera-overlay]");
    var status = panel.querySelector("[data-camera-status]");
    var overlays = {};
    try { overlays = JSON.parse(form.dataset.overlays || "{}"); } catch (e) { overlays = {}; }

    function angle() {
      var checked = form.querySelector("input[name=angle]:checked");
      return checked ? checked.value : "";
    }

    function showOverlay() {
      var src = overlays[angle()];
      overlay.hidden = !src;
      if (src) overlay.src = src; else overlay.removeAttribute("src");
      panel.querySelector("[data-camera-hint]").hidden = !src || !stream;
    }

    function start() {
      status.textContent = "";
      navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 1920 }, height: { ideal: 1440 } },
        audio: false
      }).then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      }).then(function () {
        panel.querySelector("[data-camera-stage]").hidden = false;
        panel.querySelector("[data-camera-controls]").hidden = false;
        panel.querySelector("[data-camera-start]").hidden = true;
        showOverlay();
      }).catch(function () {
        stop(panel);
        status.textContent = "The camera could not start. Choose a photo from your files instead.";
      });
    }

    function shoot() {
      if (!stream || !video.videoWidth) return;
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      // The preview is mirrored like a mirror; the photo is not, like every other photo.
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (!blob) return;
        var files = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (file) { files.items.add(file); });
        files.items.add(new File([blob], "camera-" + Date.now() + ".jpg", { type: "image/jpeg" }));
        input.files = files.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        var count = input.files.length;
        status.textContent = count + (count === 1 ? " photo" : " photos") + " ready to upload.";
      }, "image/jpeg", 0.92);
    }

    panel.hidden = false;
    panel.querySelector("[data-camera-start]").addEventListener("click", start);
    panel.querySelector("[data-camera-stop]").addEventListener("click", function () { stop(panel); });
    panel.querySelector("[data-camera-shoot]").addEventListener("click", shoot);
    form.addEventListener("change", function (event) {
      if (event.target.name === "angle") showOverlay();
    });
    form.addEventListener("submit", function () { stop(panel); });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  // After an upload through htmx the form is new: set the camera up on it again.
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
  window.addEventListener("pagehide", function () { stop(null); });
})();
