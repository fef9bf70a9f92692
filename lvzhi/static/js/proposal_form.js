// The proposal form: how many characters of the body are left (the limit comes from data-max).
document.addEventListener("DOMContentLoaded", () => {
  const counter = document.querySelector("[data-remaining]");
  if (!counter) return;
  const areas = Array.from(document.querySelectorAll("[data-count=body]"));
  const max = parseInt(counter.dataset.max, 10);
  const update = () => {
    const used = areas.reduce((n, el) => n + el.value.trim().length, 0);
    const left = max - used;
    const text = left >= 0 ? counter.dataset.textLeft : counter.dataset.textOver;
    counter.textContent = text.replace("{n}", Math.abs(left)).replace("{max}", max);
    counter.classList.toggle("over", left < 0);
  };
  areas.forEach((el) => el.addEventListener("input", update));
  update();
});
