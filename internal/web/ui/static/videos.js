// The videos page: upload a video (with the upload's progress) and start
// an analysis on the job queue, then follow it by polling its status until
// it is done and open its page; enlarge an analysed frame.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const mb = (n) => (n / 1048576).toFixed(1) + " MB";
  const pct = (v) => Math.round(v * 100) + "%";
  async function json(res) {
    const d = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((d.error && d.error.message) || res.statusText);
    return d;
  }
  // upload sends the file as the request body; XMLHttpRequest, because
  // fetch does not tell how much of a request has been sent.
  function upload(file, progress) {
    return new Promise((ok, fail) => {
      const x = new XMLHttpRequest();
      x.open("POST", "/api/v1/videos?filename=" + encodeURIComponent(file.name));
      x.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded, e.total); };
      x.onload = () => {
        let d = {};
        try { d = JSON.parse(x.responseText); } catch (e) { /* an empty or broken answer: the status says it */ }
        if (x.status >= 200 && x.status < 300) ok(d.video);
        else fail(new Error((d.error && d.error.message) || x.statusText));
      };
      x.onerror = () => fail(new Error("The upload was cut off."));
      x.send(file);
    });
  }
  const words = (a) => a.status === "queued" ? "Waiting for a worker…" : a.status === "running" ? "Analysing: " + pct(a.progress)
    : a.status === "done" ? "Done" : "Failed: " + a.error;
  // follow polls an analysis's status once a second until it ends.
  async function follow(url, bar, text) {
    for (;;) {
      const d = await json(await fetch(url, { credentials: "same-origin" }));
      const a = d.analysis;
      bar.value = a.status === "done" ? 1 : a.progress;
      text.textContent = words(a);
      if (a.status === "done" || a.status === "failed") return d;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const form = $("analyse");
  if (form) {
    const choice = $("video-choice");
    const fileRow = () => { $("file-row").hidden = choice.value !== ""; $("analyse-start").textContent = choice.value ? "Analyse" : "Upload and analyse"; };
    choice.addEventListener("change", fileRow);
    fileRow();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = $("analyse-error"), start = $("analyse-start");
      err.hidden = true;
      const file = $("video-file").files[0];
      if (!choice.value && !file) { err.textContent = "Choose a file to upload, or a video of the library."; err.hidden = false; return; }
      start.disabled = true;
      $("work-state").hidden = false;
      try {
        let id = choice.value;
        if (!id) {
          const v = await upload(file, (done, total) => {
            $("upload-progress").value = done / total;
            $("upload-text").textContent = `${pct(done / total)} (${mb(done)} of ${mb(total)})`;
          });
          $("upload-progress").value = 1;
          $("upload-text").textContent = "Uploaded " + v.filename;
          id = v.id;
        } else {
          $("upload-progress").value = 1;
          $("upload-text").textContent = "already in the library";
        }
        const d = await json(await fetch(`/api/v1/videos/${id}/analyses`, {
          method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ prompt: $("prompt").value.trim(), fps: +$("fps").value }),
        }));
        const done = await follow(`/api/v1/videos/${id}/analyses/${d.analysis.id}`, $("new-analysis-progress"), $("new-analysis-text"));
        location.assign(done.page);
      } catch (ex) {
        err.textContent = ex.message; err.hidden = false;
      } finally { start.disabled = false; }
    });
  }

  // An analysis still running when its page opened: follow it, then show it.
  const wait = $("analysis-wait");
  if (wait) follow(wait.dataset.poll, $("analysis-progress"), $("analysis-progress-text")).then(() => location.reload(), () => {});

  // Frames open large in a dialog, their boxes and names drawn by the page.
  const dlg = $("enlarged");
  document.querySelectorAll(".frame .enlarge").forEach((b) => b.addEventListener("click", () => {
    const big = $("enlarged-frame");
    big.textContent = "";
    const box = b.querySelector(".framebox").cloneNode(true), img = b.querySelector("img");
    big.appendChild(box);
    $("enlarged-caption").textContent = b.closest("figure").querySelector("figcaption").textContent;
    $("enlarged-drawn").href = b.dataset.drawn;
    dlg.showModal();
    // As large as the dialog's width and 78 % of the screen's height allow,
    // at the frame's own shape (the boxes are placed in shares of it).
    const w = Math.min(big.clientWidth, 0.78 * innerHeight * img.naturalWidth / img.naturalHeight);
    box.style.width = Math.floor(w) + "px";
  }));
  if (dlg) dlg.addEventListener("click", (e) => { if (e.target === dlg) dlg.close(); }); // outside the frame
})();
