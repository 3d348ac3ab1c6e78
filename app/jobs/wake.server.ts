import { EventEmitter } from "node:events";

// In-process doorbell: a webhook route rings it after recording an event so
// the worker in the same process starts at once instead of at its next poll.
const doorbell = new EventEmitter();
doorbell.setMaxListeners(0);

export function wakeWorker() {
  doorbell.emit("wake");
}

export function waitForWake(timeoutMs: number): Promise<void> {
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
