// Countdowns that read the clock instead of counting ticks: a tab that was hidden, or a phone
// that slept, shows the right number the moment it is looked at again.
const TICK_MS = 200;

// Count `ms` down from `startedAt` (a performance.now() time, now by default, or the end of the
// phase before, so phases chain without drifting). onTick(seconds left, rounded up) runs a few
// times a second; onEnd(the end time) once. Returns { stop(), elapsed() } in milliseconds.
export function countdown(ms, { startedAt = performance.now(), onTick, onEnd }) {
  const end = startedAt + ms;
  let running = true;
  const check = () => {
    if (!running) return;
    const left = end - performance.now();
    if (left > 0) {
      onTick(Math.ceil(left / 1000));
      return;
    }
    stop();
    onEnd(end);
  };
  const interval = setInterval(check, TICK_MS);
  const stop = () => {
    running = false;
    clearInterval(interval);
    document.removeEventListener("visibilitychange", check);
  };
  document.addEventListener("visibilitychange", check);
  queueMicrotask(check); // a phase that ended while the tab was hidden ends at once
  return { stop, elapsed: () => Math.min(ms, Math.max(0, performance.now() - startedAt)) };
}
