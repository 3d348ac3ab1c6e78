// Production server: Remix's request handler on Express, with the webhook endpoints answered
// ahead of both (see app/webhooks/webhook-endpoints.server.ts), plus the app's background work
// (the webhook worker) in a thread of the same process. Started by `npm start` (and the
// container's CMD), which passes --migrate: pending migrations are applied before it serves.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

// This file is the production server, whatever the shell's NODE_ENV said (the development
// encryption key, for one, is refused). Its first log line says so.
const nodeEnvWas = process.env.NODE_ENV;
process.env.NODE_ENV = "production";
const startLine = (level, msg, fields = {}) =>
  (level === "error" ? console.error : console.log)(
    JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }),
  );
startLine("info", "starting in production", {
  node: process.version,
  pid: process.pid,
  ...(nodeEnvWas && nodeEnvWas !== "production" ? { nodeEnvIgnored: nodeEnvWas } : {}),
});
// A start that cannot work exits with the sentence that says what to set, before it migrates or
// listens.
const refuse = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  const known = error?.constructor?.name === "EncryptionKeyError";
  startLine("error", message, known ? {} : { stack: error?.stack });
  process.exit(1);
};

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
const buildDir = resolve(process.env.BUILD_DIR || "build");

const build = await import(pathToFileURL(resolve(buildDir, "server/index.js")).href).catch(refuse);
try {
  build.entry.module.checkEncryptionKeys();
} catch (error) {
  refuse(error);
}
if (process.argv.includes("--migrate")) {
  const migrate = spawnSync(
    process.execPath,
    [resolve(import.meta.dirname, "scripts/db.mjs"), "migrate"],
    { encoding: "utf8" },
  );
  if (migrate.status !== 0) {
    refuse(new Error(`migrations failed: ${migrate.stderr}${migrate.stdout}`));
  }
  startLine("info", "database migrated", { detail: migrate.stdout.trim() });
}
const app = express();
app.disable("x-powered-by");
app.use(
  "/assets",
  express.static(resolve(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(resolve(buildDir, "client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

const background = await build.entry.module.startBackgroundWork({
  workerThreadEntry: resolve(buildDir, "background/index.js"),
  sqliteWriterEntry: resolve(buildDir, "background/sqlite-writer.js"),
});
const { serveHealthEndpoint, serveWebhookEndpoint, serveMetricsEndpoint } = build.entry.module;
const server = createServer((request, response) => {
  if (serveHealthEndpoint(request, response)) return;
  if (serveWebhookEndpoint(request, response) || serveMetricsEndpoint(request, response)) return;
  app(request, response);
});
server.listen(port, host, () => {
  const address = server.address();
  console.log(JSON.stringify({ level: "info", msg: "server listening", port: address.port }));
});

// Graceful shutdown: stop accepting (idle keep-alive connections closed, a busy one after its
// answer), let the worker finish its pass or release what it holds so another process takes it
// at once (see RunningWorker.shutdown), and exit within SHUTDOWN_TIMEOUT_MS whatever happens.
// A second signal exits at once.
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000);
let shuttingDown = false;
const logLine = (fields) => console.log(JSON.stringify({ level: "info", ...fields }));
server.on("request", (_request, response) => {
  if (shuttingDown) response.shouldKeepAlive = false;
});
async function shutdown(signal) {
  if (shuttingDown) {
    logLine({ msg: "second signal; exiting now", signal });
    process.exit(1);
  }
  shuttingDown = true;
  // Load balancers stop sending work here at their next /readyz.
  build.entry.module.markNotReady("shutting down");
  const startedAt = performance.now();
  logLine({ msg: "shutting down", signal, boundMs: shutdownTimeoutMs });
  setTimeout(() => {
    logLine({ msg: "shutdown bound passed; exiting", boundMs: shutdownTimeoutMs });
    process.exit(1);
  }, shutdownTimeoutMs).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const [outcome] = await Promise.all([background.stop(), closed]);
  clearInterval(closeIdle);
  const ms = Math.round(performance.now() - startedAt);
  const released = outcome?.released ?? 0;
  logLine({
    msg: `shutdown complete in ${ms} ms, released ${released} claims`,
    ms,
    released,
    finished: outcome?.finished ?? true,
    claimer: outcome?.claimer ?? null,
  });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
