// A short tone (Web Audio) and a buzz (where the device can vibrate) when a hold starts and
// ends, so the person can look away from the screen.
let audio = null;

// Browsers let a page make sound only after a tap: call this from one.
export function unlockSound() {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null; // no Web Audio here: the buzz and the screen still tell
  }
}

export function signal(kind) {
  if ("vibrate" in navigator) navigator.vibrate(kind === "end" ? [150, 80, 150] : 150);
  if (audio === null) return;
  const tone = audio.createOscillator();
  const volume = audio.createGain();
  const now = audio.currentTime;
  tone.frequency.value = kind === "end" ? 660 : 880;
  volume.gain.setValueAtTime(0.3, now);
  volume.gain.exponentialRampToValueAtTime(0.001, now + 0.3);
  tone.connect(volume).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.3);
}
