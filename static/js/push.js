// "Remind me on this device" on the account page: asks the browser's permission, registers
// the service worker (/sw.js), subscribes with the server's VAPID key and sends the
// subscription in the page's own form. Without scripts or push support the button stays hidden.

const form = document.getElementById("push-form");
const button = document.getElementById("push-subscribe");
const status = document.getElementById("push-status");

function keyBytes(base64url) {
  const base64 = (base64url + "===".slice((base64url.length + 3) % 4))
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function say(text) {
  status.textContent = text;
}

async function subscribe() {
  button.disabled = true;
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Notifications are blocked for this site. Allow them in the browser's site settings, then try again.");
      return;
    }
    say("Setting up reminders on this device…");
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(form.dataset.key),
    });
    const { endpoint, keys } = subscription.toJSON();
    form.elements.endpoint.value = endpoint;
    form.elements.p256dh.value = keys.p256dh;
    form.elements.auth.value = keys.auth;
    form.submit();
  } catch (error) {
    say(`This browser could not sign up for reminders (${error.message}). Email reminders still work.`);
  } finally {
    button.disabled = false;
  }
}

if (form && button && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window) {
  button.hidden = false;
  say("You will be asked to allow notifications.");
  button.addEventListener("click", subscribe);
}
