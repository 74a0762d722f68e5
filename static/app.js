// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const name = all.dataset.selectAll;
  for (const box of all.form.querySelectorAll(`input[name="${name}"]`)) box.checked = all.checked;
});
// A notice still being rendered (正在生成): ask its file until it answers, then link it.
for (const item of document.querySelectorAll("[data-pending-notice]")) {
  const url = item.dataset.pendingNotice;
  const poll = async () => {
    const res = await fetch(url, { method: "HEAD", credentials: "same-origin" });
    if (res.status !== 200) return setTimeout(poll, 1500);
    const link = item.querySelector("[data-notice-title]");
    const a = document.createElement("a");
    a.href = url;
    a.textContent = link.textContent;
    link.replaceWith(a);
    item.querySelector("[data-pending-badge]")?.remove();
    item.removeAttribute("data-pending-notice");
  };
  setTimeout(poll, 1000);
}
// A batch being paid (拨付中, often by a worker): follow its progress, reload when it is done.
for (const box of document.querySelectorAll("[data-batch-progress]")) {
  const bar = box.querySelector("progress");
  const label = box.querySelector("label");
  const poll = async () => {
    const res = await fetch(box.dataset.batchProgress, { credentials: "same-origin" });
    if (res.ok) {
      const progress = await res.json();
      bar.max = progress.total;
      bar.value = progress.paid;
      label.textContent = progress.label;
      if (!progress.running) return window.location.reload();
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1500);
}
