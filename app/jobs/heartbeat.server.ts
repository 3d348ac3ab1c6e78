import { BroadcastChannel } from "node:worker_threads";

// The worker thread's heartbeat, for /readyz: the thread says "alive" once a second on a
// channel and the request thread keeps the time it last heard it. A timer that fires on time
// shows the thread's event loop is running and not blocked; a worker stuck on its work shows
// in the inbox's age instead (app/health.server.ts).
const HEARTBEAT_CHANNEL = "sir-rewards:worker-heartbeat";
export const HEARTBEAT_INTERVAL_MS = 1_000;

// On globalThis, so the dev server's reloaded modules read the same beats.
const LAST_BEAT = Symbol.for("sir-rewards.worker-heartbeat");
type HeartbeatGlobal = { [LAST_BEAT]?: { at: number | null; listening: boolean } };

function heard() {
  const scope = globalThis as HeartbeatGlobal;
  scope[LAST_BEAT] ??= { at: null, listening: false };
  return scope[LAST_BEAT];
}

/** Beats from this thread until stopped (the worker thread's entry calls it). */
export function startHeartbeat(intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const channel = new BroadcastChannel(HEARTBEAT_CHANNEL);
  // Neither the channel nor the timer keeps a stopping thread alive.
  channel.unref();
  const beat = () => channel.postMessage(Date.now());
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    channel.close();
  };
}

/** Starts listening for beats in this thread (once; the channel never keeps the process up). */
export function listenForHeartbeats() {
  const state = heard();
  if (state.listening) return;
  state.listening = true;
  const channel = new BroadcastChannel(HEARTBEAT_CHANNEL);
  channel.onmessage = () => (heard().at = Date.now());
  channel.unref();
}

/** Milliseconds since the last beat was heard, or null if none has been yet. */
export function heartbeatAgeMs(now = Date.now()): number | null {
  const { at } = heard();
  return at === null ? null : now - at;
}
