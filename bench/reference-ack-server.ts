/**
 * The physical limit beside the app's acknowledgement figures, run as its own process: the least
 * a correct webhook receiver does. It checks Shopify's HMAC with one node:crypto call and inserts
 * the raw body into SQLite with a prepared statement (WAL, synchronous = FULL: on disk before the
 * 200, as the app's inbox commits are; the unique key is what makes a redelivery a no-op), and
 * nothing else: no routing, no header checks beyond the signature, no writer thread, no worker.
 * Not part of the app.
 *
 * Environment: SHOPIFY_API_SECRET, REFERENCE_DB (a file path; created). Prints {"port": n} once
 * listening on 127.0.0.1.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const secret = env("SHOPIFY_API_SECRET");
const db = new Database(env("REFERENCE_DB"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec(`CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY,
  shop TEXT NOT NULL,
  topic TEXT NOT NULL,
  event_id TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (shop, topic, event_id)
)`);
const insert = db.prepare(
  "INSERT INTO inbox (shop, topic, event_id, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
);

function signatureMatches(rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const rawBody = Buffer.concat(chunks);
    const { headers } = request;
    if (!signatureMatches(rawBody, headers["x-shopify-hmac-sha256"] as string | undefined)) {
      response.writeHead(401).end();
      return;
    }
    insert.run(
      String(headers["x-shopify-shop-domain"] ?? ""),
      String(headers["x-shopify-topic"] ?? ""),
      String(headers["x-shopify-event-id"] ?? ""),
      rawBody.toString("utf8"),
    );
    response.writeHead(200).end();
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on("SIGTERM", () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
