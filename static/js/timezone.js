// Fill hidden time-zone fields with the browser's own zone (the server falls back to UTC).
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  for (const input of document.querySelectorAll('input[name="time_zone"][type="hidden"]')) {
    if (!input.value && zone) input.value = zone;
  }
});
