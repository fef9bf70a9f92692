// Door check-in (meetings/staff/door.html): scan members' QR codes with the phone camera.
// Uses the browser's own BarcodeDetector (Chromium, Android) with getUserMedia; where it is missing the
// clerk types the mobile number or name, or a USB scanner "types" the code and Enter. Each code is posted
// through the page's htmx form; the answer fragment lands in #door-result.
(() => {
  const form = document.getElementById("door-form");
  if (!form) return;
  const input = form.querySelector("[name=entry]");
  const result = document.getElementById("door-result");
  const recent = document.getElementById("door-recent");
  const video = document.getElementById("scan-video");
  const startBtn = document.getElementById("scan-start");
  const stopBtn = document.getElementById("scan-stop");
  const unsupported = document.getElementById("scan-unsupported");
  const failed = document.getElementById("scan-error");

  let stream = null;
  let detector = null;
  let busy = false;
  let last = "";
  let lastAt = 0;
  let audio = null;
  const SAME_CODE_PAUSE = 4000; // the same code held in front of the camera is posted once per 4 s

  const canScan = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (canScan) startBtn.hidden = false;
  else unsupported.hidden = false;

  function submit(value) {
    input.value = value;
    busy = true;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  async function tick() {
    if (!stream) return;
    if (!busy && video.readyState >= 2) {
      try {
        const codes = await detector.detect(video);
        const value = codes.length ? codes[0].rawValue : "";
        const now = Date.now();
        if (value && (value !== last || now - lastAt > SAME_CODE_PAUSE)) {
          last = value;
          lastAt = now;
          submit(value);
        }
      } catch (err) {
        // a frame that cannot be read: try the next one
      }
    }
    setTimeout(tick, 150);
  }

  async function start() {
    failed.hidden = true;
    try {
      try {
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (err) {
        detector = new window.BarcodeDetector();
      }
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      startBtn.hidden = true;
      stopBtn.hidden = false;
      try {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      } catch (err) {
        audio = null;
      }
      tick();
    } catch (err) {
      stop();
      failed.hidden = false;
    }
  }

  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    stopBtn.hidden = true;
    if (canScan) startBtn.hidden = false;
  }

  function beep(status) {
    if (navigator.vibrate) navigator.vibrate(status === "ok" ? 120 : status === "again" ? [80, 60, 80] : [300, 80, 300]);
    if (!audio) return;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = status === "ok" ? 880 : status === "again" ? 660 : 220;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (status === "refused" ? 0.4 : 0.15));
  }

  startBtn.addEventListener("click", start);
  stopBtn.addEventListener("click", stop);

  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target !== result) return;
    const box = result.querySelector("[data-status]");
    if (box) {
      beep(box.dataset.status);
      const li = document.createElement("li");
      li.className = "door-recent-" + box.dataset.status;
      li.textContent = box.dataset.summary; // the server's times, not the phone's clock
      recent.prepend(li);
      while (recent.children.length > 6) recent.lastChild.remove();
    }
    input.value = "";
    if (!stream) input.focus();
  });
  document.body.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.elt === form) busy = false;
  });
})();
