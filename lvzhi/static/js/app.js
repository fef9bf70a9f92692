// Small behaviours shared by every page. Each page's own script sits beside it in static/js/.
document.addEventListener("change", (e) => {
  if (e.target.matches("[data-autosubmit]")) e.target.form.submit();
});
document.addEventListener("click", (e) => {
  const toggle = e.target.closest("[data-toggle]");
  if (toggle) {
    const el = document.querySelector(toggle.dataset.toggle);
    const open = el.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  const confirmer = e.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.dataset.confirm)) e.preventDefault();
});
