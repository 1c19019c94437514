// A Socket.IO connection that heals itself: used by the waiting-room screen and the phone page.
// The server sends a full snapshot on every connect, so after any outage the page is right
// again as soon as the socket is back. Attempts are at most 1.5 s apart: after the network
// or the server returns, the page shows the truth within 2 s.

const RECONNECT = {
  reconnectionDelay: 500,
  reconnectionDelayMax: 1500,
  randomizationFactor: 0.3,
  timeout: 5000,
};
// The server refused us (unknown id, or an error while it started): socket.io gives up in
// that case, a screen on a wall must not.
const RETRY_AFTER_REFUSAL_MS = 10000;

export function connectLive(namespace, auth, { events = {}, onOnline, onOffline } = {}) {
  const socket = window.io(namespace, { auth, ...RECONNECT });
  let retry = null;
  socket.on("connect", () => {
    clearTimeout(retry);
    onOnline?.();
  });
  socket.on("disconnect", (reason) => {
    onOffline?.();
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", () => {
    onOffline?.();
    if (!socket.active) {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), RETRY_AFTER_REFUSAL_MS);
    }
  });
  for (const [name, handler] of Object.entries(events)) socket.on(name, handler);
  return socket;
}
