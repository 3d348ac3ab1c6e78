import { startAppThread } from "../threads.server";
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
  const { stop, lastWord } = await startAppThread("background", entry, {
    deliveryRate: deliveryRate.cell,
  } satisfies ThreadData);
  return {
    stop: async () => {
      await stop();
      deliveryRate.stop();
      return lastWord() as ShutdownOutcome | undefined;
    },
  };
}
