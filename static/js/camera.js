// Take a progress photo with the camera, lined up on a faint copy of the last photo of the
// same angle, in that photo's proportions; check it, then use it or take it again. The photo
// joins the form's file input, so it is uploaded like any file.
// Where the camera API is missing (plain HTTP, old browsers) the file input alone remains.
(function () {
  "use strict";

  var PORTRAIT = { width: 3, height: 4 };
  var stream = null;

  function supported() {
    return window.isSecureContext && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function" &&
      typeof DataTransfer === "function" && typeof HTMLCanvasElement.prototype.toBlob === "function";
  }

  // The centre of a width x height picture cut to a ratio (what object-fit: cover shows).
  function crop(width, height, ratio) {
    if (width / height > ratio) {
      var cut = Math.round(height * ratio);
      return { x: Math.round((width - cut) / 2), y: 0, width: cut, height: height };
    }
    var tall = Math.round(width / ratio);
    return { x: 0, y: Math.round((height - tall) / 2), width: width, height: tall };
  }

  function stop(panel) {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (!panel) return;
    panel.querySelector("[data-camera-video]").srcObject = null;
    ["[data-camera-stage]", "[data-camera-controls]", "[data-camera-review]", "[data-camera-hint]",
     "[data-camera-preview]"].forEach(function (s) {
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
    function part(name) { return panel.querySelector("[data-camera-" + name + "]"); }
    var video = part("video"), overlay = part("overlay"), preview = part("preview");
    var stage = part("stage"), controls = part("controls"), review = part("review");
    var status = part("status");
    var overlays = {};
    try { overlays = JSON.parse(form.dataset.overlays || "{}"); } catch (e) { overlays = {}; }
    var taken = null;

    function angle() {
      var checked = form.querySelector("input[name=angle]:checked");
      return checked ? checked.value : "";
    }

    // The last photo of the angle, or a portrait frame when there is none yet.
    function frame() {
      var last = overlays[angle()];
      return last && last.width && last.height ? last : PORTRAIT;
    }

    function showOverlay() {
      var last = overlays[angle()];
      var shape = frame();
      // A custom property through the CSSOM: the CSP forbids style attributes.
      stage.style.setProperty("--ratio", shape.width + " / " + shape.height);
      if (!stream) return;
      overlay.hidden = !last || !preview.hidden;
      if (last) overlay.src = last.src; else overlay.removeAttribute("src");
      part("hint").hidden = !last;
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
        stage.hidden = false;
        controls.hidden = false;
        part("start").hidden = true;
        showOverlay();
      }).catch(function () {
        stop(panel);
        status.textContent = "The camera could not start. Choose a photo from your files instead.";
      });
    }

    function discard() {
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.removeAttribute("src");
      preview.hidden = true;
      review.hidden = true;
      taken = null;
    }

    function shoot() {
      if (!stream || !video.videoWidth) return;
      var shape = frame();
      var area = crop(video.videoWidth, video.videoHeight, shape.width / shape.height);
      var canvas = document.createElement("canvas");
      canvas.width = area.width;
      canvas.height = area.height;
      // The preview is mirrored like a mirror; the photo is not, like every other photo.
      canvas.getContext("2d").drawImage(video, area.x, area.y, area.width, area.height,
                                        0, 0, area.width, area.height);
      canvas.toBlob(function (blob) {
        if (!blob) return;
        taken = blob;
        video.pause();
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        overlay.hidden = true;
        controls.hidden = true;
        review.hidden = false;
        status.textContent = "Is this the one? Use it, or retake it.";
        part("use").focus();
      }, "image/jpeg", 0.92);
    }

    function use() {
      if (!taken) return;
      var files = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (file) { files.items.add(file); });
      files.items.add(new File([taken], "camera-" + Date.now() + ".jpg", { type: "image/jpeg" }));
      input.files = files.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      discard();
      stop(panel);
      var count = input.files.length;
      status.textContent = count + (count === 1 ? " photo" : " photos") + " ready to upload.";
      part("start").focus();
    }

    function retake() {
      discard();
      controls.hidden = false;
      showOverlay();
      status.textContent = "";
      video.play().catch(function () {});
      part("shoot").focus();
    }

    panel.hidden = false;
    part("start").addEventListener("click", start);
    part("stop").addEventListener("click", function () { stop(panel); });
    part("shoot").addEventListener("click", shoot);
    part("use").addEventListener("click", use);
    part("retake").addEventListener("click", retake);
    form.addEventListener("change", function (event) {
      if (event.target.name === "angle") showOverlay();
    });
    form.addEventListener("submit", function () { discard(); stop(panel); });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  // After an upload through htmx the form is new: set the camera up on it again.
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
  window.addEventListener("pagehide", function () { stop(null); });
})();
