// Offline use, on every page: registers the service worker (/sw.js, static/sw.js) and shows what
// waits on this phone. Sessions saved with no signal are kept by the worker and sent when the
// connection is back (this page asks it to, on load and on the "online" event); one the server
// refused is shown with its reason, to fix and send again, or to discard.
// Without service workers (or scripts) nothing here runs, and every page works online as before.

const box = document.getElementById("offline-queue");
const status = document.getElementById("offline-status");
const ready = document.getElementById("offline-ready");
const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;

const WAITING = "Saved on this phone; it will be sent when you are back online.";
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
let latest = null; // the worker's latest report

// Ask the worker something; its answer (with its report), or null without a worker. A page
// loaded before the worker was installed talks to it too, though the worker does not serve it.
async function ask(message) {
  const to = worker?.controller || (await worker?.getRegistration())?.active;
  if (!to) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    to.postMessage(message, [channel.port2]);
  });
}

const signOutForm = document.querySelector('form[action="/accounts/logout/"]');
const hello = ask({ type: "hello", signedIn: Boolean(signOutForm) });

// Tokens this phone has sent or is sending: a page kept from before may still carry one.
export async function knownTokens() {
  const answer = await hello;
  return new Set(answer?.state.known ?? []);
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function showDay(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const options = { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" };
  if (year !== new Date().getFullYear()) options.year = "numeric";
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString("en-US", options);
}

// A page kept from an earlier day, opened offline: its date fields move to today.
function moveKeptDaysToToday() {
  const day = today();
  for (const input of document.querySelectorAll('input[type="date"][max]')) {
    if (input.max < day && input.value === input.max) {
      input.max = day;
      input.value = day;
    }
  }
  for (const element of document.querySelectorAll("[data-day]")) {
    if (element.dataset.day < day) element.dataset.day = day;
  }
}

// A form whose token was sent already gets a new one: it is a new session.
function renewTokens(known) {
  for (const input of document.querySelectorAll('form input[name="token"]')) {
    if (known.has(input.value)) input.value = crypto.randomUUID();
  }
}

// The fields a refused session can be corrected in, by the name the server gave the error.
function describe(name) {
  const set = name.match(/^sets-(\d+)-(reps|seconds|load)$/);
  if (set) {
    const measure = { reps: "reps", seconds: "seconds", load: "band or load" }[set[2]];
    return { label: `Set ${Number(set[1]) + 1}: ${measure}`, type: set[2] === "load" ? "text" : "number", min: 0 };
  }
  return {
    day: { label: "Date", type: "date" },
    pain: { label: "Pain (0-10)", type: "number", min: 0, max: 10 },
    effort: { label: "Effort (1-10)", type: "number", min: 1, max: 10 },
    note: { label: "Note", type: "text" },
  }[name];
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function refusedItem(item, index) {
  const id = `offline-refused-${index}`;
  const section = element("section", "border-top pt-2 mt-2");
  section.setAttribute("aria-labelledby", `${id}-title`);
  section.append(element("h3", "h6 mb-1", `${item.drill}, ${showDay(item.day)}: not saved`));
  section.firstChild.id = `${id}-title`;
  const reason = element("p", "text-danger fw-semibold mb-2", `The server said: ${item.refused.message}`);
  reason.id = `${id}-reason`;
  section.append(reason);
  const form = element("form", "d-flex flex-wrap gap-2 align-items-end");
  form.noValidate = true;
  for (const name of Object.keys(item.refused.errors)) {
    const field = describe(name);
    if (!field) continue;
    const wrap = element("div");
    const label = element("label", "form-label mb-1", field.label);
    const input = element("input", "form-control");
    input.id = `${id}-${name}`;
    label.htmlFor = input.id;
    input.name = name;
    input.type = field.type;
    if (field.min !== undefined) input.min = field.min;
    if (field.max !== undefined) input.max = field.max;
    if (field.type === "date") input.max = today();
    input.value = item.fields[name] ?? "";
    input.setAttribute("aria-describedby", reason.id);
    wrap.append(label, input);
    form.append(wrap);
  }
  const fixable = form.elements.length > 0;
  if (fixable) form.append(element("button", "btn btn-primary", "Send again"));
  const discard = element("button", "btn btn-outline-danger", "Discard");
  discard.type = "button";
  form.append(discard);
  form.querySelectorAll("button").forEach((button) => {
    button.setAttribute("aria-describedby", `${id}-title`);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = Object.fromEntries(new FormData(form));
    show(await ask({ type: "fix", token: item.token, changes }));
  });
  discard.addEventListener("click", async () => {
    show(await ask({ type: "discard", token: item.token }));
  });
  section.append(form);
  return section;
}

// Show the worker's report (with what just happened: `sent`, the number just sent).
function show(answer) {
  if (!answer) return;
  const { state } = answer;
  latest = state;
  if (ready && state.kept) {
    ready.textContent = "Today, your session, your drills' log forms and the catalog are kept on this phone for when there is no signal.";
    ready.hidden = false;
  }
  if (!box || !status) return;
  const waiting = state.waiting.filter((item) => !item.refused);
  const refused = state.waiting.filter((item) => item.refused);
  if (waiting.length) {
    status.textContent =
      state.blocked === "signed-out"
        ? `${plural(waiting.length, "session")} saved on this phone will be sent once you sign in again.`
        : `${WAITING} ${plural(waiting.length, "session")} waiting.`;
  } else if (answer.sent) {
    status.textContent = `Sent: ${plural(answer.sent, "session")} saved on this phone ${answer.sent === 1 ? "is" : "are"} in your log now.`;
  } else if (!refused.length && status.textContent.startsWith("Saved on this phone")) {
    status.textContent = "";
  }
  for (const old of box.querySelectorAll(".offline-list")) old.remove();
  if (waiting.length) {
    const list = element("ul", "offline-list mb-0 mt-1");
    for (const item of waiting) list.append(element("li", "", `${item.drill}, ${showDay(item.day)}`));
    box.append(list);
  }
  if (refused.length) {
    const part = element("div", "offline-list");
    part.append(
      element("h2", "h5 mt-2 mb-1", `Not saved: ${plural(refused.length, "session")} the server refused`),
      element("p", "mb-1", "Fix what it names and send it again, or discard it. It stays on this phone until then."),
    );
    refused.forEach((item, index) => part.append(refusedItem(item, index)));
    box.append(part);
  }
  box.classList.toggle("card", Boolean(status.textContent || waiting.length || refused.length));
}

// Signing out deletes what this phone keeps: first try to send what waits, then ask.
function guardSignOut(form) {
  form?.addEventListener("submit", async (event) => {
    if (!latest?.waiting.length) return;
    event.preventDefault();
    const answer = await ask({ type: "send" });
    show(answer);
    const left = answer?.state.waiting.length ?? 0;
    if (left && !window.confirm(`${plural(left, "session")} on this phone ${left === 1 ? "is" : "are"} not in your log yet. Signing out deletes ${left === 1 ? "it" : "them"} from this phone. Sign out anyway?`)) return;
    form.submit();
  });
}

function retryButton() {
  const button = document.getElementById("offline-retry");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.location.reload());
}

if (worker) {
  if (!navigator.onLine) moveKeptDaysToToday();
  retryButton();
  guardSignOut(signOutForm);
  hello.then((answer) => {
    if (answer) renewTokens(new Set(answer.state.known));
    show(answer);
  });
  // Back to a page from the back-forward cache: tokens sent since then are renewed.
  window.addEventListener("pageshow", async (event) => {
    if (event.persisted) {
      const answer = await ask({ type: "state" });
      if (answer) renewTokens(new Set(answer.state.known));
      show(answer);
    }
  });
  worker.addEventListener("message", (event) => show(event.data));
  window.addEventListener("online", () => ask({ type: "send" }).then(show));
  window.addEventListener("load", () => {
    worker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
  // The first visit: once the worker is installed, it learns whose page this is.
  hello.then(async (answer) => {
    if (answer) return;
    await worker.ready;
    show(await ask({ type: "hello", signedIn: Boolean(signOutForm) }));
  });
}
