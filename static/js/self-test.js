// The knee-raise self-test (/self-tests/new/): each side's hold timed to fatigue, up to the cap,
// with the session player's timer (timer.js), its 3-2-1, tones and buzzes. "Stop" keeps the
// seconds held; reaching the cap keeps the cap. Without JavaScript the seconds are typed in.
import { announcer } from "./announce.js";
import { signal, unlockSound } from "./signals.js";
import { countdown } from "./timer.js";
import { keepAwake, letSleep } from "./wake-lock.js";

const GET_READY_S = 3;

const panel = document.getElementById("hold-timer");
const inputs = [...document.querySelectorAll("input[data-hold-side]")];
if (panel && inputs.length) setUp(panel, inputs);

function setUp(panel, inputs) {
  const phase = document.getElementById("hold-phase");
  const digits = document.getElementById("hold-digits");
  const button = document.getElementById("hold-stop");
  const say = announcer(document.getElementById("hold-live"));
  const startButtons = [];
  let timer = null;
  let onButton = () => {};

  button.addEventListener("click", () => onButton());

  const finish = () => {
    timer?.stop();
    timer = null;
    panel.hidden = true;
    letSleep();
    for (const start of startButtons) start.disabled = false;
  };

  const getReady = (input, side) => {
    unlockSound();
    keepAwake();
    for (const start of startButtons) start.disabled = true;
    panel.hidden = false;
    phase.textContent = `Get ready: ${side} knee`;
    digits.textContent = String(GET_READY_S);
    button.textContent = "Start now";
    button.focus();
    say(`Get ready: ${side} knee up in ${GET_READY_S}`);
    onButton = () => hold(input, side, performance.now());
    timer = countdown(GET_READY_S * 1000, {
      onTick: (left) => {
        digits.textContent = String(left);
      },
      onEnd: (end) => hold(input, side, end),
    });
  };

  const hold = (input, side, at) => {
    timer?.stop();
    const cap = Number(input.max) || 60;
    phase.textContent = `Hold the ${side} knee above hip height`;
    digits.textContent = "0";
    button.textContent = "Stop: the knee dropped";
    signal("start");
    say(`Hold the ${side} knee up`);
    let shown = 0;
    const keep = (seconds) => {
      input.value = String(seconds);
      signal("end");
      say(`${seconds} seconds on the ${side} side`);
      finish();
      input.focus();
    };
    onButton = () => keep(Math.round(timer.elapsed() / 1000));
    timer = countdown(cap * 1000, {
      startedAt: at,
      onTick: (left) => {
        const held = cap - left; // whole seconds held so far
        if (held === shown) return;
        shown = held;
        digits.textContent = String(held);
        if (held % 10 === 0) say(`${held} seconds`);
      },
      onEnd: () => keep(cap),
    });
  };

  for (const input of inputs) {
    const side = input.dataset.holdSide;
    const start = document.createElement("button");
    start.type = "button";
    start.className = "btn btn-outline-primary w-100 mt-2";
    start.textContent = `Time the ${side} side`;
    start.addEventListener("click", () => getReady(input, side));
    (input.closest("[id^='div_id_']") ?? input.parentElement).append(start);
    startButtons.push(start);
  }
}
