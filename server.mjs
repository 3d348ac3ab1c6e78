// Production server: Remix's request handler on Express, with the webhook endpoints answered
// ahead of both (see app/webhooks/webhook-endpoints.server.ts), plus the app's background work
// (the webhook worker) in a thread of the same process. Started by `npm start` after migrations
// are applied.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
const buildDir = resolve(process.env.BUILD_DIR || "build");

const build = await import(pathToFileURL(resolve(buildDir, "server/index.js")).href);
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
const { serveWebhookEndpoint } = build.entry.module;
const server = createServer((request, response) => {
  if (!serveWebhookEndpoint(request, response)) app(request, response);
});
server.listen(port, host, () => {
  const address = server.address();
  console.log(JSON.stringify({ level: "info", msg: "server listening", port: address.port }));
});

async function shutdown(signal) {
  console.log(JSON.stringify({ level: "info", msg: "shutting down", signal }));
  server.close();
  await background.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
