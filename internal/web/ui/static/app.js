// Small progressive touches; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // "/" focuses the question box, as in many search boxes.
  const q = document.getElementById("q");
  if (q) {
    document.addEventListener("keydown", (e) => {
      if (e.key === "/" && document.activeElement !== q) { e.preventDefault(); q.focus(); q.select(); }
    });
  }
  // The chart-type switcher shows the chosen drawing of the same answer.
  document.querySelectorAll("fieldset.kinds input").forEach((r) => r.addEventListener("change", () => {
    document.querySelectorAll(".chart .view").forEach((v) => { v.hidden = v.dataset.kind !== r.value; });
  }));
  // Tables sort by a column when its heading is pressed (again: reversed).
  document.querySelectorAll("table.sortable").forEach((t) => {
    t.querySelectorAll("thead th").forEach((th, col) => {
      const b = th.querySelector("button");
      if (!b) return;
      b.addEventListener("click", () => {
        const asc = th.getAttribute("aria-sort") !== "ascending";
        t.querySelectorAll("thead th").forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        const body = t.tBodies[0];
        const rows = [...body.rows];
        const key = (r) => (r.cells[col] && r.cells[col].dataset.sort) || "";
        rows.sort((a, b) => (asc ? 1 : -1) * key(a).localeCompare(key(b), undefined, { numeric: true }));
        rows.forEach((r) => body.appendChild(r));
      });
    });
  });
  // On a phone the answer is below the fold: bring it into view.
  const answered = document.querySelector("#answer .answered");
  if (answered && window.matchMedia("(max-width: 700px)").matches) {
    document.getElementById("answer").scrollIntoView();
  }
  // An error page's way back, when there is a page to go back to.
  const back = document.getElementById("back");
  if (back && history.length > 1) {
    back.hidden = false;
    back.addEventListener("click", (e) => { e.preventDefault(); history.back(); });
  }
  // Upload progress for the HR import.
  const form = document.getElementById("importform");
  const bar = document.getElementById("progress");
  if (form && bar && window.XMLHttpRequest) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", (e.submitter && e.submitter.formAction) || form.action); // Import or Check only
      bar.hidden = false;
      xhr.upload.addEventListener("progress", (p) => { if (p.lengthComputable) bar.value = Math.round(100 * p.loaded / p.total); });
      xhr.addEventListener("load", () => { document.open(); document.write(xhr.responseText); document.close(); });
      xhr.send(new FormData(form));
    });
  }
});
