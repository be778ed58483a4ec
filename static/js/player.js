// The session player (/today/session/): today's drills one at a time. Holds get a 3-2-1, a
// countdown, a tone and a buzz, the other side, then a rest; reps get +/- and "done". After each
// drill the person answers pain (no default) and effort, and the drill is saved at once through
// the log form's own fields, with the drill's token, so a retry never saves it twice. With no
// signal the service worker keeps the drill on the phone and sends it later (static/sw.js); a
// drill kept or sent that way is left out when a page kept from before is opened again.
// Without JavaScript the page is a list of the drills with a link to log each.
import { announcer } from "./announce.js";
import { knownTokens } from "./offline.js";
import { signal, unlockSound } from "./signals.js";
import { countdown } from "./timer.js";
import { keepAwake, letSleep } from "./wake-lock.js";

const GET_READY_S = 3;
const REPS_MAX = 500;
const STALE_MS = 1000; // a phase that ended longer ago than this (a hidden tab) ends quietly

const root = document.getElementById("player");
const startButton = document.getElementById("player-start");
const ASK_WORKER_MS = 2000; // a worker that does not answer leaves the list as it is
if (root && startButton) {
  const none = new Promise((resolve) => setTimeout(() => resolve(new Set()), ASK_WORKER_MS));
  Promise.race([knownTokens(), none]).then((known) => setUp(root, startButton, known));
}

function readDrill(item) {
  const data = item.dataset;
  return {
    name: data.name,
    cue: data.cue,
    dose: data.dose,
    doseLabel: data.doseLabel,
    timed: data.timed === "true",
    sets: Number(data.sets),
    amount: Number(data.amount), // seconds a hold, or reps a set
    perSide: data.perSide === "true",
    rest: Number(data.rest),
    token: data.token,
    save: data.save,
    track: data.track,
    pause: data.pause,
    url: data.url,
  };
}

function setUp(root, startButton, known) {
  const items = [...root.querySelectorAll(".player-drill")];
  for (const item of items) item.hidden = known.has(item.dataset.token);
  const drills = items.filter((item) => !item.hidden).map(readDrill);
  const stage = document.getElementById("player-stage");
  const say = announcer(document.getElementById("player-live"));
  const day = root.dataset.day;
  const alarmPain = Number(root.dataset.alarm);
  const templates = (id) => document.getElementById(id).content;
  const csrf = templates("tpl-alarm").querySelector("[name=csrfmiddlewaretoken]").value;
  let timer = null; // the countdown running, if any
  let saved = 0;
  let kept = 0; // on this phone, to be sent when the connection is back

  const slot = (node, name) => node.querySelector(`[data-slot="${name}"]`);
  const action = (node, name) => node.querySelector(`[data-action="${name}"]`);
  const stopTimer = () => {
    timer?.stop();
    timer = null;
  };

  // Replace the screen with a copy of a template; focus its heading or `focus` in it.
  const show = (id, focus = "#player-heading") => {
    stopTimer();
    stage.replaceChildren(templates(id).cloneNode(true));
    const screen = stage.firstElementChild;
    screen.dataset.screen = id;
    screen.querySelector(focus)?.focus();
    return screen;
  };

  startButton.hidden = false;
  startButton.addEventListener("click", () => {
    unlockSound();
    keepAwake();
    document.getElementById("player-overview").hidden = true;
    document.getElementById("player-end").hidden = false;
    stage.hidden = false;
    document.body.classList.add("player-running");
    window.scrollTo(0, 0);
    introduce(0);
  });

  function introduce(index) {
    if (index >= drills.length) return finish();
    const drill = drills[index];
    const screen = show("tpl-drill");
    slot(screen, "position").textContent =
      `Drill ${index + 1} of ${drills.length} · ${drill.track}`;
    slot(screen, "name").textContent = drill.name;
    slot(screen, "cue").textContent = drill.cue;
    slot(screen, "dose-label").textContent = drill.doseLabel;
    slot(screen, "dose").textContent = drill.dose;
    slot(screen, "rest").textContent = drill.rest;
    slot(screen, "link").href = drill.url;
    action(screen, "begin").addEventListener("click", () => run(index));
    action(screen, "skip").addEventListener("click", () => introduce(index + 1));
  }

  function run(index) {
    const drill = drills[index];
    const sides = drill.perSide ? ["left", "right"] : ["both"];
    const steps = []; // one for each set and side, in order
    for (let set = 1; set <= drill.sets; set += 1) {
      for (const side of sides) steps.push({ set, side });
    }
    const done = []; // the sets as they are saved: { reps | seconds, side }
    const label = ({ set, side }) =>
      `Set ${set} of ${drill.sets}${side === "both" ? "" : `, ${side} side`}`;
    const position = `${drill.name} · drill ${index + 1} of ${drills.length}`;

    // After step k: the other side, a rest before the next set, or the questions.
    const after = (k, at) => {
      if (k + 1 >= steps.length) return rate(index, done);
      const nextSet = steps[k + 1].set !== steps[k].set;
      if (nextSet && drill.rest > 0) return rest(k + 1, at);
      return begin(k + 1, at, !nextSet);
    };
    const begin = (k, at, switching) =>
      drill.timed ? getReady(k, at, switching) : countReps(k, switching);

    // One timer screen serves the 3-2-1, the hold and the rest: its button keeps the focus.
    let onButton = () => {};
    const timerScreen = () => {
      let screen = stage.firstElementChild;
      if (screen?.dataset.screen !== "tpl-timer") {
        screen = show("tpl-timer", "[data-action=timer]");
        slot(screen, "position").textContent = position;
        action(screen, "timer").addEventListener("click", () => onButton());
      }
      return screen;
    };
    const phase = (title, hint, button, seconds) => {
      const screen = timerScreen();
      slot(screen, "phase").textContent = title;
      slot(screen, "hint").textContent = hint;
      action(screen, "timer").textContent = button;
      slot(screen, "digits").textContent = seconds;
      return slot(screen, "digits");
    };
    // Count a phase down from `at`; the live region hears every fifth second and the last three.
    const count = (seconds, at, digits, onEnd) => {
      let shown = seconds;
      timer = countdown(seconds * 1000, {
        startedAt: at,
        onTick: (left) => {
          if (left === shown) return;
          shown = left;
          digits.textContent = left;
          if (left <= 3 || left % 5 === 0) say(String(left));
        },
        onEnd,
      });
    };
    const fresh = (at) => performance.now() - at < STALE_MS;

    const getReady = (k, at, switching) => {
      const step = steps[k];
      const title = switching ? "Switch sides" : "Get ready";
      const digits = phase(title, `${label(step)} starts in`, "Start now", GET_READY_S);
      say(`${title}: ${label(step)}, in ${GET_READY_S}`);
      onButton = () => hold(k, performance.now());
      count(GET_READY_S, at, digits, (end) => hold(k, end));
    };

    const hold = (k, at) => {
      stopTimer();
      const step = steps[k];
      const digits = phase("Hold", label(step), "Stop", drill.amount);
      if (fresh(at)) signal("start");
      say(`Hold, ${label(step)}: ${drill.amount} seconds`);
      const finish = (seconds, end) => {
        if (fresh(end)) signal("end");
        done.push({ seconds, side: step.side });
        after(k, end);
      };
      onButton = () => {
        // Stopping early keeps what was held.
        const held = Math.round(timer.elapsed() / 1000);
        stopTimer();
        finish(held, performance.now());
      };
      count(drill.amount, at, digits, (end) => finish(drill.amount, end));
    };

    const rest = (k, at) => {
      const digits = phase("Rest", `Next: ${label(steps[k])}`, "Skip rest", drill.rest);
      say(`Rest, ${drill.rest} seconds. Next: ${label(steps[k])}`);
      onButton = () => {
        stopTimer();
        begin(k, performance.now(), false);
      };
      count(drill.rest, at, digits, (end) => begin(k, end, false));
    };

    const countReps = (k, switching) => {
      const step = steps[k];
      const screen = show("tpl-reps", "[data-action=done]");
      const title = switching ? `Switch sides: ${label(step)}` : label(step);
      slot(screen, "position").textContent = position;
      slot(screen, "phase").textContent = title;
      const input = screen.querySelector("#player-reps");
      input.value = drill.amount;
      say(`${title}: ${drill.amount} reps`);
      const reps = () => Math.min(REPS_MAX, Math.max(0, Math.round(Number(input.value) || 0)));
      const change = (by) => {
        input.value = Math.min(REPS_MAX, Math.max(0, reps() + by));
        say(`${input.value} reps`);
      };
      action(screen, "fewer").addEventListener("click", () => change(-1));
      action(screen, "more").addEventListener("click", () => change(1));
      action(screen, "done").addEventListener("click", () => {
        done.push({ reps: reps(), side: step.side });
        after(k, performance.now());
      });
    };

    begin(0, performance.now(), false);
  }

  function rate(index, sets) {
    const drill = drills[index];
    const screen = show("tpl-rate");
    const form = screen.querySelector("form");
    const button = slot(screen, "save");
    slot(screen, "position").textContent = `${drill.name} · drill ${index + 1} of ${drills.length}`;
    const amounts = sets.map(
      (set) =>
        (set.reps === undefined ? `${set.seconds} s` : `${set.reps} reps`) +
        (set.side === "both" ? "" : ` (${set.side})`),
    );
    slot(screen, "summary").textContent = `You did ${amounts.join(", ")}.`;
    say(`${drill.name} done. How was it?`);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (button.disabled) return; // a double tap: the first one is saving
      const pain = form.querySelector("input[name=pain]:checked");
      const painError = slot(screen, "pain-error");
      if (pain === null) {
        painError.textContent = "Choose your pain during this drill, from 0 to 10, to save it.";
        form.querySelector("input[name=pain]").focus();
        return;
      }
      painError.textContent = "";
      const effort = form.querySelector("input[name=effort]:checked")?.value ?? "5";
      button.disabled = true;
      button.textContent = "Saving…";
      try {
        const answer = await save(drill, sets, pain.value, effort);
        if (answer.queued) kept += 1;
        else saved += 1;
        say(answer.message);
        if (Number(pain.value) >= alarmPain) alarm(index, Number(pain.value));
        else introduce(index + 1);
      } catch (error) {
        slot(screen, "error").textContent = `Not saved yet: ${error.message} Try again.`;
        button.disabled = false;
        button.textContent = "Save and go on";
      }
    });
  }

  // POST the drill as the log form would; the same token every time, so a retry saves once.
  async function save(drill, sets, pain, effort) {
    const body = new URLSearchParams({
      csrfmiddlewaretoken: csrf,
      token: drill.token,
      day,
      pain,
      effort,
      note: "",
      "sets-TOTAL_FORMS": String(sets.length),
      "sets-INITIAL_FORMS": "0",
    });
    sets.forEach((set, n) => {
      body.set(`sets-${n}-${set.reps === undefined ? "seconds" : "reps"}`, set.reps ?? set.seconds);
      body.set(`sets-${n}-side`, set.side);
    });
    let response;
    try {
      response = await fetch(drill.save, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      throw new Error("there is no connection.");
    }
    if (!(response.headers.get("Content-Type") ?? "").includes("application/json")) {
      throw new Error("you may have been signed out: sign in again in another tab.");
    }
    const answer = await response.json();
    if (!answer.saved && !answer.queued) throw new Error(answer.message);
    return answer;
  }

  function alarm(index, pain) {
    const drill = drills[index];
    const screen = show("tpl-alarm");
    slot(screen, "title").textContent = `Pain of ${pain}/10 during ${drill.name}`;
    slot(screen, "track").textContent = drill.track;
    slot(screen, "pause").action = drill.pause;
    slot(screen, "pause-button").textContent = `Pause ${drill.track}`;
    const next = action(screen, "continue");
    next.textContent = index + 1 < drills.length ? "Go on to the next drill" : "Finish the session";
    next.addEventListener("click", () => introduce(index + 1));
  }

  function finish() {
    letSleep();
    const screen = show("tpl-done");
    const count = (n) => `${n} drill${n === 1 ? "" : "s"}`;
    const onPhone = kept ? ` ${count(kept)} saved on this phone, to be sent when you are back online.` : "";
    slot(screen, "summary").textContent = `${count(saved)} saved today.${onPhone} Well done.`;
    document.getElementById("player-end").hidden = true;
  }
}
