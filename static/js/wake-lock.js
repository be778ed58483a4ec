// Keep the screen on while a session runs (Screen Wake Lock, where the browser has it). The
// browser drops the lock whenever the tab is hidden, so it is asked for again on coming back.
let lock = null;
let wanted = false;

async function acquire() {
  if (!wanted || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    lock = await navigator.wakeLock.request("screen");
  } catch {
    lock = null; // refused (low battery, a policy): the session runs on regardless
  }
}

document.addEventListener("visibilitychange", acquire);

export function keepAwake() {
  wanted = true;
  acquire();
}

export function letSleep() {
  wanted = false;
  lock?.release().catch(() => {});
  lock = null;
}
