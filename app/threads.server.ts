import { Worker } from "node:worker_threads";
import { logger } from "./logger.server";

/** What a thread of the app's and its parent say to each other. */
export type ThreadMessage =
  | { type: "ready" }
  | { type: "stop" }
  /** A thread's last word before it exits, e.g. what its worker released. */
  | { type: "stopped"; outcome: unknown };

const log = logger.child({ component: "threads" });

/**
 * Starts a thread of the app from its built entry and resolves once it has said it is ready.
 * A thread that dies takes the process down with it, so the process manager restarts both:
 * what a thread held is leased or unacknowledged, and is taken up again then. stop() asks it
 * to finish and waits until it has.
 */
export async function startAppThread(
  name: string,
  entry: string,
  workerData: unknown,
): Promise<{ thread: Worker; stop(): Promise<void>; lastWord(): unknown }> {
  const thread = new Worker(entry, { workerData });
  const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    thread.once("message", (message: ThreadMessage) => {
      if (message.type === "ready") resolve();
    });
    thread.once("error", reject);
    thread.once("exit", (code) => reject(new Error(`${name} thread exited with ${code}`)));
  });
  thread.on("error", (error) => {
    log.fatal("thread failed; stopping the process", { thread: name, error });
    process.exit(1);
  });
  thread.on("exit", (code) => {
    if (stopping) return;
    log.fatal("thread exited; stopping the process", { thread: name, code });
    process.exit(1);
  });
  let lastWord: unknown;
  thread.on("message", (message: ThreadMessage) => {
    if (message.type === "stopped") lastWord = message.outcome;
  });
  return {
    thread,
    stop: async () => {
      stopping = true;
      thread.postMessage({ type: "stop" } satisfies ThreadMessage);
      await exited;
    },
    /** What the thread said last as it stopped (a "stopped" message), if anything. */
    lastWord: () => lastWord,
  };
}
