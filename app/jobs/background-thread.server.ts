// Entry of the background thread (built to <build>/background/index.js, started by
// startWorkerThread): the webhook worker with its own database client, so its work never
// delays the request thread's answers to Shopify.
import { parentPort, workerData } from "node:worker_threads";
import { db, prepareDatabase, providerFor } from "../db.server";
import { config } from "../config.server";
import { listenForInbox, RELEASED_PAYLOAD } from "./inbox-notify.server";
import { wakeWorkerInThisThread } from "./wake.server";
import { loadEncryptionKey } from "../crypto/encryption.server";
import { shutdownDrainMs, startWorker } from "./worker.server";
import type { ThreadData } from "./worker-thread.server";
import type { ThreadMessage } from "../threads.server";
import { readDeliveryRate } from "./delivery-rate.server";
import { startHeartbeat } from "./heartbeat.server";
import { serveThreadMetrics } from "../metrics/thread-metrics.server";
import { refreshEstimatesIfDue } from "../shopper/estimate-refresh.server";

if (!parentPort) throw new Error("background-thread.server runs only as a worker thread");
const port = parentPort;

loadEncryptionKey();
await prepareDatabase(db, "background");
const { deliveryRate } = workerData as ThreadData;
const worker = startWorker({ shopifyDeliveryRate: () => readDeliveryRate(deliveryRate) });
// Other processes on the same PostgreSQL database record webhooks too: their inserts ring here.
const listener =
  providerFor(config.databaseUrl) === "postgresql"
    ? listenForInbox(config.databaseUrl, (payload) =>
        payload === RELEASED_PAYLOAD ? worker.hurry() : wakeWorkerInThisThread(),
      )
    : null;
// Its counts (provider calls, retries, event loop, heap) reach the request thread's /metrics.
serveThreadMetrics("worker");
// Every connected shop's shopper estimate, hourly (a campaign may change while nobody saves).
const estimates = setInterval(() => void refreshEstimatesIfDue(), 60_000);
estimates.unref();
// Alive, for /readyz (app/health.server.ts): a beat a second to the request thread.
startHeartbeat();
port.postMessage({ type: "ready" } satisfies ThreadMessage);

port.on("message", async (message: ThreadMessage) => {
  if (message.type !== "stop") return;
  clearInterval(estimates);
  await listener?.stop();
  // Most of the process's shutdown bound for the pass in progress, the rest to release and exit.
  const outcome = await worker.shutdown(shutdownDrainMs(config.shutdownTimeoutMs));
  port.postMessage({ type: "stopped", outcome } satisfies ThreadMessage);
  await db.$disconnect();
  port.close();
});
