// The labeling page: one task at a time, boxes drawn on a canvas over the
// frame at full resolution. Every frame of the task is fetched before the
// editor opens, so stepping between frames never waits on the network.
// Work is autosaved as a draft every 4 s (a reload restores it); active
// time counts only while the page is visible and was used in the last 30 s.
"use strict";
(() => {
  const root = document.getElementById("labeler");
  if (!root) return;
  const api = "/t/" + root.dataset.tenant + "/portal/api";
  const $ = (id) => document.getElementById(id);
  const canvas = $("canvas"), ctx = canvas.getContext("2d"), stage = $("stage");
  const colours = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"];
  let task = null, images = {}, frames = [], own = new Set(), pos = 0, boxes = {}, sel = -1, dirty = false, current = "";
  let zoom = 1, panX = 0, panY = 0, drag = null, spaceDown = false;
  let active = 0, lastInput = Date.now();

  const say = (msg) => { $("status").textContent = msg; };
  async function call(method, path, body) {
    const res = await fetch(api + path, { method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined, credentials: "same-origin" });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
    return data;
  }

  // --- geometry: image pixels ↔ canvas pixels -----------------------------
  function fit() {
    const r = stage.getBoundingClientRect();
    canvas.width = Math.round(r.width * devicePixelRatio);
    canvas.height = Math.round(r.height * devicePixelRatio);
    return Math.min(canvas.width / task.width, canvas.height / task.height);
  }
  let base = 1;
  const scale = () => base * zoom;
  const toImage = (e) => {
    const r = canvas.getBoundingClientRect();
    const cx = (e.clientX - r.left) * devicePixelRatio, cy = (e.clientY - r.top) * devicePixelRatio;
    return { x: (cx - offX()) / scale(), y: (cy - offY()) / scale() };
  };
  const offX = () => (canvas.width - task.width * scale()) / 2 + panX;
  const offY = () => (canvas.height - task.height * scale()) / 2 + panY;

  // --- drawing --------------------------------------------------------------
  const frameBoxes = () => (boxes[frames[pos]] = boxes[frames[pos]] || []);
  // Context frames (before and after the task's own) are for looking only.
  const editable = () => own.has(frames[pos]) && task.kind !== "verify";
  function draw() {
    if (!task) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#111";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale(), 0, 0, scale(), offX(), offY());
    const img = images[frames[pos]];
    if (img) ctx.drawImage(img, 0, 0, task.width, task.height);
    if (!own.has(frames[pos])) { ctx.fillStyle = "rgba(0,0,0,0.35)"; ctx.fillRect(0, 0, task.width, task.height); } // context: dimmed
    const lw = 2 / scale();
    frameBoxes().forEach((b, i) => {
      if (b.hidden) return;
      const c = colourOf(b.label);
      ctx.globalAlpha = b.rejected ? 0.45 : 1;
      ctx.lineWidth = i === sel ? 2 * lw : lw;
      ctx.strokeStyle = c;
      ctx.setLineDash(b.machine && !b.accepted ? [6 / scale(), 4 / scale()] : []);
      ctx.strokeRect(b.x, b.y, b.w, b.h);
      ctx.setLineDash([]);
      if (b.rejected) { ctx.beginPath(); ctx.moveTo(b.x, b.y); ctx.lineTo(b.x + b.w, b.y + b.h); ctx.moveTo(b.x + b.w, b.y); ctx.lineTo(b.x, b.y + b.h); ctx.stroke(); }
      ctx.font = `${14 / scale()}px system-ui, sans-serif`;
      const text = b.label + (b.machine && b.confidence != null ? " " + b.confidence.toFixed(2) : "");
      const tw = ctx.measureText(text).width + 8 / scale();
      ctx.fillStyle = c;
      ctx.fillRect(b.x, b.y - 18 / scale(), tw, 18 / scale());
      ctx.fillStyle = "#000";
      ctx.fillText(text, b.x + 4 / scale(), b.y - 5 / scale());
      if (i === sel) for (const [hx, hy] of corners(b)) ctx.fillRect(hx - 4 / scale(), hy - 4 / scale(), 8 / scale(), 8 / scale());
      ctx.globalAlpha = 1;
    });
    if (drag && drag.kind === "new") {
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = lw;
      ctx.strokeRect(drag.box.x, drag.box.y, drag.box.w, drag.box.h);
    }
    $("frame-pos").textContent = `frame ${pos + 1} of ${frames.length} · video frame ${frames[pos]}` + (own.has(frames[pos]) ? "" : " · context, view only");
    $("undo").disabled = !undone.length; $("redo").disabled = !redone.length;
    objects();
    palette();
    attributes();
  }
  // The object list: every box of the frame with its colour and state; a
  // box can be hidden (to see what is under it; it is still handed in),
  // and in an adjust job the machine's boxes accepted or rejected one by
  // one (a rejected box is not handed in).
  function objects() {
    const list = $("boxes");
    list.textContent = "";
    const review = task.kind === "adjust" && editable();
    frameBoxes().forEach((b, i) => {
      const li = document.createElement("li");
      li.className = [i === sel ? "sel" : "", b.hidden ? "hidden" : "", b.rejected ? "rejected" : ""].join(" ").trim();
      const name = document.createElement("button");
      name.type = "button"; name.className = "obj-name";
      const attrs = Object.entries(b.attributes || {}).map(([k, v]) => `${k}: ${v}`).join(", ");
      const state = b.rejected ? "rejected" : b.accepted ? "accepted" : b.machine ? "machine" + (b.confidence != null ? " " + b.confidence.toFixed(2) : "") : "yours";
      name.innerHTML = `<span class="swatch"></span><span class="obj-label"></span> <span class="obj-state"></span>`;
      name.querySelector(".swatch").style.background = colourOf(b.label);
      name.querySelector(".obj-label").textContent = b.label + (attrs ? " (" + attrs + ")" : "");
      name.querySelector(".obj-state").textContent = state;
      name.title = `at ${Math.round(b.x)},${Math.round(b.y)}, ${Math.round(b.w)}×${Math.round(b.h)} px`;
      name.addEventListener("click", () => { if (!b.hidden && !b.rejected) { sel = i; draw(); } });
      const act = (label, cls, fn, pressed) => {
        const btn = document.createElement("button");
        btn.type = "button"; btn.textContent = label; btn.className = cls;
        if (pressed !== undefined) btn.setAttribute("aria-pressed", pressed);
        btn.addEventListener("click", fn);
        return btn;
      };
      li.append(name, act(b.hidden ? "Show" : "Hide", "obj-hide", () => { b.hidden = !b.hidden; if (sel === i) sel = -1; draw(); }, !!b.hidden));
      if (review && b.machine) {
        li.append(act("Accept", "obj-accept", () => { b.accepted = !b.accepted; b.rejected = false; changed(); }, !!b.accepted),
          act("Reject", "obj-reject", () => { b.rejected = !b.rejected; b.accepted = false; if (sel === i) sel = -1; changed(); }, !!b.rejected));
      }
      list.appendChild(li);
    });
    if (!frameBoxes().length) { const li = document.createElement("li"); li.className = "empty"; li.textContent = "No objects yet: drag on the frame to draw one."; list.appendChild(li); }
  }
  // The label palette: each label with its colour and its key; the chosen
  // one is what a new box gets.
  function palette() {
    const p = $("palette");
    if (p.dataset.task !== String(task.id)) {
      p.dataset.task = task.id;
      p.textContent = "";
      task.labels.forEach((l, i) => {
        const b = document.createElement("button");
        b.type = "button"; b.setAttribute("role", "radio"); b.dataset.label = l.name;
        b.title = `Label ${l.name} (key ${i + 1})`;
        b.innerHTML = `<kbd></kbd><span class="swatch"></span><span class="name"></span>`;
        b.querySelector("kbd").textContent = i < 9 ? String(i + 1) : "";
        b.querySelector(".swatch").style.background = colourOf(l.name);
        b.querySelector(".name").textContent = l.name;
        b.addEventListener("click", () => { choose(l.name); stage.focus(); });
        p.appendChild(b);
      });
    }
    p.querySelectorAll("button").forEach((b) => b.setAttribute("aria-checked", b.dataset.label === current));
  }
  // choose makes name the label of new boxes, and of the selected box.
  function choose(name) {
    current = name;
    const b = editable() ? frameBoxes()[sel] : undefined;
    if (b && b.label !== name) { b.label = name; b.machine = false; changed(); return; }
    palette();
  }
  const colourOf = (name) => colours[Math.max(0, labelIndex(name)) % colours.length];
  // The selected box's attributes, as the job's label list defines them.
  function attributes() {
    const box = $("attributes"), b = frameBoxes()[sel];
    box.textContent = "";
    const l = b && task.labels.find((x) => x.name === b.label);
    if (!l || !l.attributes) return;
    for (const a of l.attributes) {
      const id = "attr-" + a.name;
      const lab = document.createElement("label");
      lab.htmlFor = id; lab.textContent = a.name;
      const s = document.createElement("select");
      s.id = id;
      for (const v of ["", ...a.values]) { const o = document.createElement("option"); o.value = v; o.textContent = v || "—"; s.appendChild(o); }
      s.value = (b.attributes || {})[a.name] || "";
      s.addEventListener("change", () => {
        b.attributes = { ...(b.attributes || {}) };
        if (s.value) b.attributes[a.name] = s.value; else delete b.attributes[a.name];
        b.machine = false;
        changed();
      });
      box.append(lab, s);
    }
  }
  const corners = (b) => [[b.x, b.y], [b.x + b.w, b.y], [b.x, b.y + b.h], [b.x + b.w, b.y + b.h]];
  const labelIndex = (name) => task.labels.findIndex((l) => l.name === name);
  const clamp = (b) => {
    b.x = Math.max(0, Math.min(b.x, task.width - 1)); b.y = Math.max(0, Math.min(b.y, task.height - 1));
    b.w = Math.max(1, Math.min(b.w, task.width - b.x)); b.h = Math.max(1, Math.min(b.h, task.height - b.y));
  };
  // Undo and redo: every finished change (a box drawn, moved, resized,
  // relabelled, deleted, copied) is one step; a drag is one step, not one
  // per mouse move. A step keeps all the task's boxes before it and the
  // frame it was made on, which undoing it shows.
  let undone = [], redone = [], kept = "{}";
  const snapshot = () => JSON.stringify(boxes);
  const commit = () => {
    const now = snapshot();
    if (now === kept) return;
    undone.push({ boxes: kept, pos }); redone = []; kept = now;
  };
  const restore = (from, to) => {
    if (!from.length) return;
    const step = from.pop();
    to.push({ boxes: snapshot(), pos: step.pos });
    boxes = JSON.parse(step.boxes); pos = step.pos; sel = -1; kept = snapshot();
    dirty = true; $("saved").textContent = "Unsaved changes"; draw();
  };
  const undo = () => restore(undone, redone);
  const redo = () => restore(redone, undone);
  const changed = () => { dirty = true; $("saved").textContent = "Unsaved changes"; if (!drag) commit(); draw(); };

  // --- pointer: draw, select, move, resize, pan -----------------------------
  canvas.addEventListener("pointerdown", (e) => {
    stage.focus();
    canvas.setPointerCapture(e.pointerId);
    const p = toImage(e), tol = 8 / scale();
    if (spaceDown || e.button === 1) { drag = { kind: "pan", sx: e.clientX, sy: e.clientY, px: panX, py: panY }; return; }
    if (!editable()) return;
    const bs = frameBoxes();
    if (sel >= 0 && bs[sel]) {
      const k = corners(bs[sel]).findIndex(([hx, hy]) => Math.abs(hx - p.x) < tol && Math.abs(hy - p.y) < tol);
      if (k >= 0) { drag = { kind: "resize", corner: k, orig: { ...bs[sel] } }; return; }
    }
    for (let i = bs.length - 1; i >= 0; i--) {
      const b = bs[i];
      if (b.hidden || b.rejected) continue;
      if (p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h) {
        sel = i;
        drag = { kind: "move", dx: p.x - b.x, dy: p.y - b.y };
        draw();
        return;
      }
    }
    sel = -1;
    drag = { kind: "new", x0: p.x, y0: p.y, box: { x: p.x, y: p.y, w: 0, h: 0 } };
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drag) return;
    lastInput = Date.now();
    const p = toImage(e), bs = frameBoxes();
    if (drag.kind === "pan") { panX = drag.px + (e.clientX - drag.sx) * devicePixelRatio; panY = drag.py + (e.clientY - drag.sy) * devicePixelRatio; draw(); return; }
    if (drag.kind === "new") {
      drag.box = { x: Math.min(drag.x0, p.x), y: Math.min(drag.y0, p.y), w: Math.abs(p.x - drag.x0), h: Math.abs(p.y - drag.y0) };
      draw();
      return;
    }
    const b = bs[sel];
    if (!b) return;
    if (drag.kind === "move") { b.x = p.x - drag.dx; b.y = p.y - drag.dy; }
    if (drag.kind === "resize") {
      const o = drag.orig, x1 = drag.corner % 2 ? o.x : o.x + o.w, y1 = drag.corner > 1 ? o.y : o.y + o.h;
      b.x = Math.min(x1, p.x); b.y = Math.min(y1, p.y); b.w = Math.abs(p.x - x1); b.h = Math.abs(p.y - y1);
    }
    b.machine = false;
    clamp(b);
    changed();
  });
  canvas.addEventListener("pointerup", () => {
    if (drag && drag.kind === "new" && drag.box.w >= 3 && drag.box.h >= 3) {
      const b = { ...drag.box, label: current };
      clamp(b);
      frameBoxes().push(b);
      sel = frameBoxes().length - 1;
      drag = null;
      changed();
      return;
    }
    drag = null;
    commit(); // a move or resize ends here
    draw();
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    setZoom(zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15));
  }, { passive: false });
  const setZoom = (z) => { zoom = Math.max(0.5, Math.min(8, z)); if (zoom === 1) { panX = panY = 0; } draw(); };

  // --- keyboard -------------------------------------------------------------
  stage.addEventListener("keydown", (e) => {
    lastInput = Date.now();
    const bs = frameBoxes(), b = editable() ? bs[sel] : undefined;
    if (e.key === " ") { spaceDown = true; e.preventDefault(); return; }
    if ((e.ctrlKey || e.metaKey) && (e.key === "z" || e.key === "Z" || e.key === "y")) {
      if (e.shiftKey || e.key === "y") redo(); else undo();
      e.preventDefault(); return;
    }
    if ((e.key === "Delete" || e.key === "Backspace") && b) { bs.splice(sel, 1); sel = -1; changed(); e.preventDefault(); return; }
    if (e.key.startsWith("Arrow") && b) {
      const d = e.shiftKey ? 10 : 1;
      if (e.key === "ArrowLeft") b.x -= d; if (e.key === "ArrowRight") b.x += d;
      if (e.key === "ArrowUp") b.y -= d; if (e.key === "ArrowDown") b.y += d;
      b.machine = false; clamp(b); changed(); e.preventDefault(); return;
    }
    if (e.key === "Tab" && bs.length) { sel = (sel + (e.shiftKey ? bs.length - 1 : 1)) % bs.length; draw(); e.preventDefault(); return; }
    if (/^[1-9]$/.test(e.key) && task.labels[+e.key - 1]) { choose(task.labels[+e.key - 1].name); return; }
    if (e.key === "n" || e.key === "N") step(1);
    if (e.key === "p" || e.key === "P") step(-1);
    if (e.key === "c" || e.key === "C") copyNext();
    if (e.key === "+" || e.key === "=") setZoom(zoom * 1.25);
    if (e.key === "-") setZoom(zoom / 1.25);
    if (e.key === "0") setZoom(1);
    if (e.key === "Escape") { sel = -1; draw(); }
  });
  stage.addEventListener("keyup", (e) => { if (e.key === " ") spaceDown = false; });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
    // 1–9 choose a label anywhere but in a text field (the frame has its own)
    if (task && /^[1-9]$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey && task.labels[+e.key - 1] && !e.target.closest("input, textarea, select, #stage")) choose(task.labels[+e.key - 1].name);
  });

  function step(d) {
    const n = pos + d;
    if (n < 0 || n >= frames.length) return;
    pos = n; sel = -1; draw();
  }
  // Copy this frame's boxes onto the next frame of the task's own.
  function copyNext() {
    const n = frames.findIndex((f, i) => i > pos && own.has(f));
    if (n < 0 || !own.has(frames[pos])) return;
    boxes[frames[n]] = frameBoxes().map((b) => ({ ...b, machine: false }));
    pos = n; sel = -1;
    changed();
  }

  // --- task life ------------------------------------------------------------
  function answer() {
    const out = {};
    for (const f of task.frames) out[f] = (boxes[f] || []).filter((b) => !b.rejected).map((b) => ({ x: Math.round(b.x), y: Math.round(b.y), w: Math.max(1, Math.round(b.w)), h: Math.max(1, Math.round(b.h)), label: b.label, ...(b.attributes && Object.keys(b.attributes).length ? { attributes: b.attributes } : {}) }));
    return { frames: out };
  }
  async function load(t) {
    task = t;
    $("saved").textContent = ""; // the saved time is this task's
    if (!t) { say("No task is waiting for you. This page looks again every 30 seconds."); $("work").hidden = true; setTimeout(take, 30000); return; }
    say(`Loading ${t.frames.length === 1 ? "1 frame" : t.frames.length + " frames"}…`);
    own = new Set(t.frames);
    frames = [...new Set([...t.frames, ...(t.context || [])])].sort((a, b) => a - b);
    pos = frames.indexOf(t.frames[0]); sel = -1; zoom = 1; panX = panY = 0; images = {};
    await Promise.all(frames.map((f) => new Promise((ok, fail) => {
      const img = new Image();
      img.onload = () => { images[f] = img; ok(); };
      img.onerror = () => fail(new Error("frame " + f + " did not load"));
      img.src = `${api}/tasks/${t.id}/frames/${f}`;
    })));
    boxes = {};
    for (const f of t.frames) boxes[f] = (t.machine && t.machine[f] || []).map((b) => ({ ...b, machine: true }));
    if (t.draft && t.draft.frames) boxes = Object.fromEntries(Object.entries(t.draft.frames).map(([f, bs]) => [f, bs]));
    undone = []; redone = []; kept = snapshot(); // a new task starts a new history
    active = t.active_ms || 0;
    $("job-name").textContent = t.job_name;
    $("instructions").innerHTML = t.instructions_html || "<p class=note>No instructions.</p>";
    current = t.labels.length ? t.labels[0].name : "";
    $("verify").hidden = t.kind !== "verify";
    // A verification is a verdict on the machine's boxes: no editing tools
    // (kept in their place, so that nothing moves).
    for (const id of ["palette", "copy", "delete"]) $(id).style.visibility = t.kind === "verify" ? "hidden" : "";
    stage.style.setProperty("--frame-ar", `${t.width} / ${t.height}`);
    $("submit").hidden = t.kind === "verify";
    $("work").hidden = false;
    say(`Task ${t.id} (${t.kind}): hand it in before ${new Date(t.lease_expires).toLocaleTimeString()}.`);
    base = fit();
    dirty = false;
    draw();
    stage.focus();
  }
  async function take() {
    try { const r = await call("POST", "/take"); await load(r.task); } catch (e) { say("Could not get a task: " + e.message); }
  }
  async function save() {
    if (!task || !dirty) return;
    const t = task; // a save that ends after the next task opened says nothing there
    try {
      await call("PUT", `/tasks/${t.id}/draft`, { draft: { frames: boxes }, active_ms: active });
      if (task !== t) return;
      dirty = false;
      $("saved").textContent = `Task ${t.id}: draft saved at ${new Date().toLocaleTimeString()}`;
    } catch (e) { if (task === t) $("saved").textContent = "Not saved: " + e.message; }
  }
  // finish hands the task in (or back); done says what happened to it.
  async function finish(path, body, done) {
    if (!task) return;
    const id = task.id;
    try {
      await call("POST", `/tasks/${id}/${path}`, { ...body, active_ms: active });
      say(`Task ${id} ${done} Taking the next task…`);
      $("thanks").textContent = `Task ${id} ${done}`;
      $("thanks").hidden = false;
      $("work").hidden = true;
      task = null;
      setTimeout(take, 600);
    } catch (e) { say(e.message); }
  }
  const submit = () => task && task.kind !== "verify" && finish("submit", { answer: answer() }, "submitted — thank you.");
  $("submit").addEventListener("click", submit);
  $("accept").addEventListener("click", () => finish("submit", { answer: { verdict: "accept" } }, "accepted — thank you."));
  $("reject").addEventListener("click", () => {
    const reason = $("reject-reason").value.trim();
    if (!reason) { say("Say why you reject the boxes."); $("reject-reason").focus(); return; }
    finish("submit", { answer: { verdict: "reject", reason } }, "rejected — thank you.");
  });
  $("release").addEventListener("click", () => finish("release", { skip: false, reason: "" }, "given back."));
  $("skip").addEventListener("click", () => {
    const reason = $("skip-reason").value.trim();
    if (!reason) { say("Say why you skip this item."); $("skip-reason").focus(); return; }
    finish("release", { skip: true, reason }, "skipped — thank you for saying why.");
  });
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("copy").addEventListener("click", copyNext);
  $("undo").addEventListener("click", undo);
  $("redo").addEventListener("click", redo);
  $("delete").addEventListener("click", () => { if (sel >= 0) { frameBoxes().splice(sel, 1); sel = -1; changed(); } });
  $("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
  $("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
  $("zoom-reset").addEventListener("click", () => setZoom(1));
  window.addEventListener("resize", () => { if (task) { base = fit(); draw(); } });
  ["pointerdown", "keydown", "wheel"].forEach((ev) => document.addEventListener(ev, () => { lastInput = Date.now(); }, true));
  setInterval(() => { if (task && !document.hidden && Date.now() - lastInput < 30000) active += 1000; }, 1000);
  setInterval(save, 4000);
  // For automation and tests: the page's state, and where on screen (CSS
  // pixels) a point of the frame is.
  window.scryLabel = {
    state: () => ({ task, boxes, pos, sel, dirty, active, current }), save,
    clientOf: (x, y) => {
      const r = canvas.getBoundingClientRect();
      return { x: r.left + (offX() + x * scale()) / devicePixelRatio, y: r.top + (offY() + y * scale()) / devicePixelRatio };
    },
  };
  take();
})();
