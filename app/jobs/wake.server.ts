import { EventEmitter } from "node:events";
import { BroadcastChannel } from "node:worker_threads";

// Doorbell: a webhook route rings it after recording an event so the worker starts at once
// instead of at its next poll. The worker runs in its own thread in production (server.mjs) and
// in the request thread in some tests, so a ring reaches both: the channel carries it to the
// other threads of the process, the emitter to this one.
const doorbell = new EventEmitter();
doorbell.setMaxListeners(0);
const WAKE_CHANNEL = "sir-rewards:wake-worker";
let channel: BroadcastChannel | null = null;

function wakeChannel(): BroadcastChannel {
  if (!channel) {
    channel = new BroadcastChannel(WAKE_CHANNEL);
    channel.onmessage = () => doorbell.emit("wake");
    // A doorbell must not keep a finished process alive.
    channel.unref();
  }
  return channel;
}

/** Wakes a worker waiting in this thread only, e.g. to stop it. */
export function wakeWorkerInThisThread() {
  doorbell.emit("wake");
}

export function wakeWorker() {
  wakeWorkerInThisThread();
  wakeChannel().postMessage("wake");
}

export function waitForWake(timeoutMs: number): Promise<void> {
  wakeChannel();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      doorbell.off("wake", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    doorbell.once("wake", done);
  });
}
