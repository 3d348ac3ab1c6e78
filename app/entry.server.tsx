import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { db, prepareDatabase, providerFor, routeDirectStatements } from "./db.server";
import { config } from "./config.server";
import { loadEncryptionKey } from "./crypto/encryption.server";
import { shutdownDrainMs, startWorker, type ShutdownOutcome } from "./jobs/worker.server";
import { releaseOwnClaims } from "./jobs/claims.server";
import { notifyWorkers, RELEASED_PAYLOAD } from "./jobs/inbox-notify.server";
import { startWorkerThread } from "./jobs/worker-thread.server";
import { startSqliteWriterThread } from "./sqlite-writer.server";
import { sealPlaintextSessions } from "./sessions/seal-sessions.server";

export { serveWebhookEndpoint } from "./webhooks/webhook-endpoints.server";
export { serveHealthEndpoint, markNotReady } from "./health.server";
// server.mjs checks the encryption keys before it migrates or listens: a refusal is a sentence.
export { loadEncryptionKeys as checkEncryptionKeys } from "./crypto/encryption.server";
export { serveMetricsEndpoint } from "./metrics/endpoint.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // Bots get the whole document at once; people get the shell as soon as it is ready.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [readyEvent]: () => {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Releases whatever any thread of this process still holds, and wakes the other processes. */
async function sweepProcessClaims(workerLate: boolean): Promise<number> {
  try {
    const released = await releaseOwnClaims(db, { of: "process" });
    // A late worker may have released its rows and not yet said so to the others.
    if (released > 0 || workerLate) await notifyWorkers(db, RELEASED_PAYLOAD);
    return released;
  } catch {
    return 0;
  }
}

// Called once by server.mjs after the build is loaded. Refuses to run in production without
// ENCRYPTION_KEY (secrets at rest depend on it), then starts the webhook worker unless
// WORKER_ENABLED=false: in its own thread when given the built thread entry (production), else
// in this thread (tests that intercept the Admin API in-process). On SQLite, given the writer
// thread's entry, the webhook endpoints' statements run in that thread (see sqlite-writer.server).
export async function startBackgroundWork(
  options: { workerThreadEntry?: string; sqliteWriterEntry?: string } = {},
): Promise<{ stop(): Promise<ShutdownOutcome | undefined> }> {
  loadEncryptionKey();
  await prepareDatabase(db, "requests");
  // Shopify tokens left in plain text by an older version are sealed before the first request.
  await sealPlaintextSessions(db);
  const workerThreadEntry = config.workerEnabled ? options.workerThreadEntry : undefined;
  const writer =
    options.sqliteWriterEntry && providerFor(config.databaseUrl) === "sqlite"
      ? await startSqliteWriterThread(options.sqliteWriterEntry, {
          databaseUrl: config.databaseUrl,
          checkpoints: !workerThreadEntry,
        })
      : null;
  const routeBack = writer ? routeDirectStatements(db, writer.statements) : null;
  // Stopping finishes or releases what the worker holds (see RunningWorker.shutdown).
  let worker: { stop(): Promise<ShutdownOutcome | undefined> } | null = null;
  if (config.workerEnabled && workerThreadEntry) {
    worker = await startWorkerThread(workerThreadEntry);
  } else if (config.workerEnabled) {
    const inThisThread = startWorker();
    worker = { stop: () => inThisThread.shutdown(shutdownDrainMs(config.shutdownTimeoutMs)) };
  }
  return {
    stop: async () => {
      const startedAt = Date.now();
      // The worker releases what it still holds after its drain; if its thread is late (a busy
      // event loop), this thread sweeps the process's claims itself before the bound.
      const bound = config.shutdownTimeoutMs;
      const sweepAfter = Math.max(0, bound - Math.min(500, Math.floor(bound / 4)));
      const stopped = worker ? worker.stop() : Promise.resolve(undefined);
      const outcome = await Promise.race([stopped, sleep(sweepAfter).then(() => null)]);
      const swept = config.workerEnabled ? await sweepProcessClaims(outcome === null) : 0;
      routeBack?.();
      await writer?.stop();
      await Promise.race([db.$disconnect(), sleep(200)]);
      if (outcome === undefined && !config.workerEnabled) return undefined;
      return {
        finished: outcome?.finished ?? false,
        released: (outcome?.released ?? 0) + swept,
        claimer: outcome?.claimer ?? `${process.pid}`,
        ms: Date.now() - startedAt,
      };
    },
  };
}
