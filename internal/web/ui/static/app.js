// Small progressive touches; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // "/" focuses the question box, as in many search boxes.
  const q = document.getElementById("q");
  if (q) {
    document.addEventListener("keydown", (e) => {
      if (e.key === "/" && document.activeElement !== q) { e.preventDefault(); q.focus(); q.select(); }
    });
  }
  // Upload progress for the HR import.
  const form = document.getElementById("importform");
  const bar = document.getElementById("progress");
  if (form && bar && window.XMLHttpRequest) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      bar.hidden = false;
      xhr.upload.addEventListener("progress", (p) => { if (p.lengthComputable) bar.value = Math.round(100 * p.loaded / p.total); });
      xhr.addEventListener("load", () => { document.open(); document.write(xhr.responseText); document.close(); });
      xhr.send(new FormData(form));
    });
  }
});
