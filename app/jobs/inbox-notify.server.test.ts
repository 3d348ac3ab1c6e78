import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDatabase, type Database } from "../db.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { testDatabaseKind } from "../../test/helpers/test-database";
import { waitFor } from "../../test/helpers/wait-for";
import {
  INBOX_CHANNEL,
  listenForInbox,
  notifyWorkers,
  RELEASED_PAYLOAD,
} from "./inbox-notify.server";

// LISTEN/NOTIFY is PostgreSQL's; SQLite is one process and rings in-process (wake.server).
const onPostgres = testDatabaseKind() === "postgresql";
const url = process.env.DATABASE_URL!;

let db: Database;
beforeAll(() => {
  db = createDatabase(url);
});
afterAll(() => db?.$disconnect());

const record = (shop: string, eventKey: string = randomUUID()) =>
  recordWebhookEvent(
    { source: "shopify", shopDomain: shop, topic: "orders/paid", eventKey, payload: "{}" },
    db,
  );

describe.skipIf(!onPostgres)("inbox notifications across processes (PostgreSQL)", () => {
  it("rings a listener for each new inbox row, not for a redelivery", async () => {
    let rings = 0;
    const listener = listenForInbox(url, () => rings++);
    try {
      await waitFor(() => listener.connected(), { what: "the listener connected" });
      const afterConnect = rings;
      const shop = `notify-${randomUUID().slice(0, 8)}.myshopify.com`;
      const first = await record(shop, "event-1");
      expect(first.duplicate).toBe(false);
      await waitFor(() => rings === afterConnect + 1, { what: "one ring for the insert" });
      expect((await record(shop, "event-1")).duplicate).toBe(true);
      await notifyWorkers(db, RELEASED_PAYLOAD);
      await waitFor(() => rings === afterConnect + 2, { what: "a ring for the explicit notify" });
    } finally {
      await listener.stop();
    }
  });

  it("reconnects after its connection is killed, ringing once to cover the gap", async () => {
    let rings = 0;
    const listener = listenForInbox(url, () => rings++);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await waitFor(() => listener.connected(), { what: "the listener connected" });
      const terminated = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query = $1`,
        [`LISTEN ${INBOX_CHANNEL}`],
      );
      expect(terminated.rowCount).toBeGreaterThan(0);
      await waitFor(() => !listener.connected(), {
        what: "the listener noticed",
        timeoutMs: 5_000,
      });
      const beforeReconnect = rings;
      await waitFor(() => listener.connected(), { what: "the listener back", timeoutMs: 5_000 });
      expect(rings).toBeGreaterThan(beforeReconnect);
      const afterReconnect = rings;
      await record(`notify-${randomUUID().slice(0, 8)}.myshopify.com`);
      await waitFor(() => rings > afterReconnect, { what: "a ring after the reconnect" });
    } finally {
      await admin.end();
      await listener.stop();
    }
  });
});
