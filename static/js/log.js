// The log form: add and remove sets, and a hold timer for timed drills. No inline script.
document.addEventListener("DOMContentLoaded", () => {
  const sets = document.getElementById("sets");
  const template = document.getElementById("empty-set");
  const addButton = document.getElementById("add-set");
  if (!sets || !template || !addButton) return;
  const total = document.querySelector('input[name$="-TOTAL_FORMS"]');
  const timed = sets.dataset.timed === "true";

  const renumber = () => {
    let n = 0;
    for (const row of sets.querySelectorAll(".set-row")) {
      if (row.hidden) continue;
      n += 1;
      row.querySelector(".set-number").textContent = n;
    }
  };

  const addTimer = (row) => {
    const input = row.querySelector("input[data-timer-target]");
    if (!timed || !input || row.querySelector(".hold-timer")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary hold-timer mb-2";
    button.textContent = "Start hold timer";
    const status = document.createElement("span");
    status.className = "ms-2 fw-semibold";
    status.setAttribute("aria-live", "polite");
    let started = null;
    let ticker = null;
    button.addEventListener("click", () => {
      if (started === null) {
        started = Date.now();
        button.textContent = "Stop";
        status.textContent = "0 s";
        ticker = setInterval(() => {
          status.textContent = `${Math.floor((Date.now() - started) / 1000)} s`;
        }, 250);
      } else {
        clearInterval(ticker);
        const seconds = Math.round((Date.now() - started) / 1000);
        input.value = seconds;
        status.textContent = `${seconds} s saved in this set`;
        started = null;
        button.textContent = "Start hold timer";
      }
    });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  };

  // A saved set (editing) is removed with its box; a new one by sending none of its fields.
  const addRemove = (row) => {
    if (row.querySelector(".remove-set")) return;
    const remove = row.querySelector('input[name$="-DELETE"]');
    remove?.closest(".form-check")?.setAttribute("hidden", "");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link link-danger remove-set p-0";
    button.textContent = "Remove this set";
    button.addEventListener("click", () => {
      if (remove) remove.checked = true;
      else for (const field of row.querySelectorAll("input, select")) field.disabled = true;
      row.hidden = true;
      renumber();
    });
    row.append(button);
  };

  for (const row of sets.querySelectorAll(".set-row")) {
    addTimer(row);
    addRemove(row);
  }

  addButton.hidden = false;
  addButton.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    const rows = sets.querySelectorAll(".set-row:not([hidden])");
    const previous = rows[rows.length - 1];
    if (previous) {
      // Copy the last set's numbers: the usual next set is the same again.
      for (const input of previous.querySelectorAll("input, select")) {
        const name = input.name.replace(/-\d+-/, `-${index}-`);
        const copy = row.querySelector(`[name="${name}"]`);
        if (copy && input.type !== "checkbox") copy.value = input.value;
      }
    }
    sets.append(row);
    total.value = String(index + 1);
    addTimer(row);
    addRemove(row);
    renumber();
    row.querySelector("input, select")?.focus();
  });
});
