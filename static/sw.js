// Hipapp's service worker, served at /sw.js so that it may control every page.
//
// Reminders (issue 14) own the "push" and "notificationclick" handlers below: show the
// reminder, and open the session when it is tapped. The offline app (issue 13) adds its own
// "install", "activate" and "fetch" handlers to this file; each concern keeps to its events.

const FALLBACK_URL = "/today/";

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Hipapp", {
      body: message.body || "",
      tag: message.tag,
      icon: message.icon,
      data: { url: message.url || FALLBACK_URL },
    }),
  );
});

// Opens our own pages only: a URL from elsewhere falls back to today's page.
function ownUrl(url) {
  const target = new URL(url || FALLBACK_URL, self.location.origin);
  return target.origin === self.location.origin ? target.href : new URL(FALLBACK_URL, self.location.origin).href;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
