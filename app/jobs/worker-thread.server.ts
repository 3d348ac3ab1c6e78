import { startAppThread, type ThreadMessage } from "../threads.server";
import { publishDeliveryRate, type DeliveryRateCell } from "./delivery-rate.server";
import type { ShutdownOutcome } from "./worker.server";

export type ThreadData = { deliveryRate: DeliveryRateCell };

/**
 * Starts the webhook worker in its own thread from the built entry
 * (app/jobs/background-thread.server.ts); resolves once it is working.
 */
export async function startWorkerThread(
  entry: string,
): Promise<{ stop(): Promise<ShutdownOutcome | undefined> }> {
  const deliveryRate = publishDeliveryRate();
  const { thread, stop, lastWord } = await startAppThread("background", entry, {
    deliveryRate: deliveryRate.cell,
  } satisfies ThreadData);
  return {
    stop: async () => {
      // Its outcome as soon as it says it (it then disconnects and exits).
      const said = new Promise<ShutdownOutcome>((resolve) => {
        thread.on("message", (message: ThreadMessage) => {
          if (message.type === "stopped") resolve(message.outcome as ShutdownOutcome);
        });
      });
      const exited = stop().then(() => lastWord() as ShutdownOutcome | undefined);
      const outcome = await Promise.race([said, exited]);
      deliveryRate.stop();
      return outcome;
    },
  };
}
