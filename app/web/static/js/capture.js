/* Photo capture: a file or the webcam, then a 3:4 frame moved with the mouse or the keyboard;
   the form posts the original image with the frame as "left,top,right,bottom" in its pixels.
   Signature: drawn on a canvas (mouse, pen, finger) and posted as a PNG data URL. */
(function () {
  "use strict";

  var RATIO = 3 / 4;

  function byId(id) { return document.getElementById(id); }

  /* ---- the 3:4 crop frame ---- */
  var image = byId("crop-image");
  var frame = byId("crop-frame");
  var area = byId("cropper-area");
  var input = byId("photo");
  var cropField = byId("crop");
  var box = null; /* in displayed pixels: {x, y, w} (h = w / RATIO) */

  function bounds() { return {w: image.clientWidth, h: image.clientHeight}; }

  function clamp() {
    var b = bounds();
    var maxW = Math.min(b.w, b.h * RATIO);
    box.w = Math.max(30, Math.min(box.w, maxW));
    var h = box.w / RATIO;
    box.x = Math.max(0, Math.min(box.x, b.w - box.w));
    box.y = Math.max(0, Math.min(box.y, b.h - h));
  }

  function draw() {
    clamp();
    frame.style.left = box.x + "px";
    frame.style.top = box.y + "px";
    frame.style.width = box.w + "px";
    frame.style.height = (box.w / RATIO) + "px";
    var scale = image.naturalWidth / image.clientWidth;
    var left = Math.round(box.x * scale);
    var top = Math.round(box.y * scale);
    var right = Math.round((box.x + box.w) * scale);
    var bottom = Math.round((box.y + box.w / RATIO) * scale);
    cropField.value = [left, top, right, bottom].join(",");
    frame.setAttribute("aria-valuetext", left + ", " + top + " – " + right + ", " + bottom);
  }

  function reset() {
    var b = bounds();
    var w = Math.min(b.w, b.h * RATIO) * 0.9;
    box = {w: w, x: (b.w - w) / 2, y: (b.h - w / RATIO) / 2};
    draw();
  }

  function show(file) {
    if (!file || !image) { return; }
    area.classList.remove("hidden");
    image.onload = reset;
    image.src = URL.createObjectURL(file);
  }

  if (input && image) {
    input.addEventListener("change", function () {
      cropField.value = "";
      show(input.files && input.files[0]);
    });

    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      drag = {x: event.clientX, y: event.clientY, box: {x: box.x, y: box.y, w: box.w},
              resize: event.target.id === "crop-grip"};
      frame.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (drag.resize) {
        box.w = drag.box.w + Math.max(dx, dy * RATIO);
      } else {
        box.x = drag.box.x + dx;
        box.y = drag.box.y + dy;
      }
      draw();
    });
    frame.addEventListener("pointerup", function () { drag = null; });

    frame.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 1 : 10;
      var moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
      if (moves[event.key]) {
        box.x += moves[event.key][0];
        box.y += moves[event.key][1];
      } else if (event.key === "+" || event.key === "=") {
        box.x -= step / 2; box.y -= step / 2 / RATIO; box.w += step;
      } else if (event.key === "-") {
        box.x += step / 2; box.y += step / 2 / RATIO; box.w -= step;
      } else {
        return;
      }
      event.preventDefault();
      draw();
    });
    window.addEventListener("resize", function () { if (box) { reset(); } });
  }

  /* ---- the webcam ---- */
  var start = byId("camera-start");
  var take = byId("camera-take");
  var video = byId("camera");
  var message = byId("camera-message");
  var stream = null;

  function refuse() {
    message.textContent = byId("photo-form").getAttribute("data-camera-error");
    message.classList.remove("hidden");
  }

  if (start) {
    start.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { refuse(); return; }
      navigator.mediaDevices.getUserMedia({video: {width: {ideal: 1280}, height: {ideal: 960}}, audio: false})
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.classList.remove("hidden");
          /* Offer "take" only once a frame has arrived: before that the picture is empty. */
          video.addEventListener("loadeddata", function () {
            take.classList.remove("hidden");
            take.focus();
          }, {once: true});
        })
        .catch(refuse);
    });
    take.addEventListener("click", function () {
      if (!video.videoWidth) { return; }
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (!blob) { return; }
        var file = new File([blob], "camera.jpg", {type: "image/jpeg"});
        var transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change"));
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.classList.add("hidden");
        take.classList.add("hidden");
        frame.focus();
      }, "image/jpeg", 0.92);
    });
  }

  /* ---- the signature pad ---- */
  var pad = byId("signature-pad");
  if (pad) {
    var ctx = pad.getContext("2d");
    var drawn = false;
    var last = null;

    var blank = function () {
      var ratio = window.devicePixelRatio || 1;
      pad.width = pad.clientWidth * ratio;
      pad.height = pad.clientHeight * ratio;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, pad.clientWidth, pad.clientHeight);
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      drawn = false;
    };
    var point = function (event) {
      var rect = pad.getBoundingClientRect();
      return {x: event.clientX - rect.left, y: event.clientY - rect.top};
    };
    blank();
    pad.addEventListener("pointerdown", function (event) {
      last = point(event);
      pad.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    pad.addEventListener("pointermove", function (event) {
      if (!last) { return; }
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
      drawn = true;
    });
    pad.addEventListener("pointerup", function () { last = null; });
    byId("signature-clear").addEventListener("click", blank);
    byId("signature-form").addEventListener("submit", function () {
      byId("signature-data").value = drawn ? pad.toDataURL("image/png") : "";
    });
  }
}());
