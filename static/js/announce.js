// A polite live region that speaks at most once a second: screen-reader users hear where a
// countdown is without every tick being read out. A newer message replaces one still waiting.
export function announcer(region, gapMs = 1000) {
  let last = -Infinity;
  let waiting = "";
  let timer = null;
  const speak = () => {
    timer = null;
    region.textContent = waiting;
    last = performance.now();
  };
  return (message) => {
    waiting = message;
    if (timer !== null) return;
    const wait = last + gapMs - performance.now();
    if (wait <= 0) speak();
    else timer = setTimeout(speak, wait);
  };
}
