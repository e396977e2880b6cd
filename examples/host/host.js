import init, { mount } from "../../phase7-web.js";

await init();
const params = new URLSearchParams(window.location.search);
const option = (name) => params.get(name) || undefined;
const slot = document.getElementById("phase7-slot");
const count = (id, n) => {
  document.querySelector(`[data-testid="${id}"]`).textContent = String(n);
};
// Every signal arrives twice: as a bubbling CustomEvent on the mount element
// (event.detail is the signal) and through the onSignal option.
window.phase7Signals = { events: [], callback: [] };
slot.addEventListener("phase7-signal", (event) => {
  window.phase7Signals.events.push(event.detail);
  count("host-signal-count", window.phase7Signals.events.length);
  const last = document.querySelector('[data-testid="host-last-signal"]');
  last.textContent = `${event.detail.signal_type} ${event.detail.payload.error_code ?? ""}`.trim();
});
window.phase7Dashboard = mount(slot, {
  phase6Url: option("phase6"),
  certificateUrl: option("certificate"),
  claimedUrl: option("claimed"),
  lang: option("lang") || "en",
  // The portal has its own header, main and footer: no landmarks of the dashboard's own.
  embedded: true,
  onSignal: (signal) => {
    window.phase7Signals.callback.push(signal);
    count("host-callback-count", window.phase7Signals.callback.length);
  },
});
document.body.dataset.phase7Mounted = "true";
