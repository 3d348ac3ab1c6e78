import { Worker } from "node:worker_threads";
import { logger } from "../logger.server";
import { publishDeliveryRate, type DeliveryRateCell } from "./delivery-rate.server";

export type ThreadMessage = { type: "ready" } | { type: "stop" };
export type ThreadData = { deliveryRate: DeliveryRateCell };

const log = logger.child({ component: "worker-thread" });

/**
 * Starts the webhook worker in its own thread from the built entry
 * (app/jobs/background-thread.server.ts); resolves once it is working. A thread that dies
 * takes the process down with it, so the process manager restarts both: the work it held
 * is leased in the database and is taken up again then.
 */
export async function startWorkerThread(entry: string): Promise<{ stop(): Promise<void> }> {
  const deliveryRate = publishDeliveryRate();
  const thread = new Worker(entry, {
    workerData: { deliveryRate: deliveryRate.cell } satisfies ThreadData,
  });
  const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    thread.once("message", (message: ThreadMessage) => {
      if (message.type === "ready") resolve();
    });
    thread.once("error", reject);
    thread.once("exit", (code) => reject(new Error(`background thread exited with ${code}`)));
  });
  thread.on("error", (error) => {
    log.error("background thread failed; stopping the process", { error });
    process.exit(1);
  });
  thread.on("exit", (code) => {
    if (stopping) return;
    log.error("background thread exited; stopping the process", { code });
    process.exit(1);
  });
  return {
    stop: async () => {
      stopping = true;
      thread.postMessage({ type: "stop" } satisfies ThreadMessage);
      await exited;
      deliveryRate.stop();
    },
  };
}
