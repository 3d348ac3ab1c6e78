import pg from "pg";
import { databaseProvider, type Database } from "../db.server";
import { SqlStatement } from "../models/sql.server";
import { logger } from "../logger.server";

// Several app processes share one PostgreSQL database. An inbox insert notifies this channel
// (in the insert's own statement, so the notification is sent when the row is committed), and
// each process's worker LISTENs on a connection of its own, so an idle worker starts at once
// instead of at its next poll, whichever process received the webhook. The poll stays as the
// fallback: a notification is a hint, never the only way work is found. SQLite is one process
// by design and its doorbell is in-process (wake.server.ts).
export const INBOX_CHANNEL = "sir_rewards_inbox";

const log = logger.child({ component: "inbox-notify" });

/** The payload of a stopping process's notification: it released claims for others to take. */
export const RELEASED_PAYLOAD = "released";

/** Wakes every process's worker (PostgreSQL; nothing to do on SQLite). */
export async function notifyWorkers(database: Database, payload = ""): Promise<void> {
  if (databaseProvider(database) !== "postgresql") return;
  await new SqlStatement()
    .text(`SELECT 1 AS "sent" FROM (SELECT pg_notify(`)
    .value(INBOX_CHANNEL)
    .text(`, `)
    .value(payload)
    .text(`)) AS "notified"`)
    .query(database);
}

export type InboxListener = {
  /** Whether the LISTEN connection is up (the poll covers the gaps). */
  connected(): boolean;
  stop(): Promise<void>;
};

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * LISTENs for inbox notifications on a dedicated connection and calls `onNotify` for each. A
 * dropped connection is reopened with a doubling delay (0.1 s to 5 s); after each (re)connect
 * `onNotify` is called once, since notifications sent while it was down are not replayed.
 */
export function listenForInbox(url: string, onNotify: (payload: string) => void): InboxListener {
  let stopped = false;
  let client: pg.Client | null = null;
  let up = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | null = null;

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
  };

  const connect = async () => {
    const current = new pg.Client({ connectionString: url });
    client = current;
    const lost = (error?: unknown) => {
      if (client !== current) return;
      client = null;
      if (up) log.warn("inbox listener lost its connection; polling until it is back", { error });
      up = false;
      current.removeAllListeners("notification");
      void current.end().catch(() => {});
      scheduleReconnect();
    };
    current.on("error", lost);
    current.on("end", () => lost());
    current.on("notification", (message) => onNotify(message.payload ?? ""));
    try {
      await current.connect();
      await current.query(`LISTEN ${INBOX_CHANNEL}`);
      if (stopped || client !== current) {
        await current.end().catch(() => {});
        return;
      }
      up = true;
      retryMs = FIRST_RETRY_MS;
      onNotify("");
    } catch (error) {
      lost(error);
    }
  };

  void connect();
  return {
    connected: () => up,
    stop: async () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      up = false;
      await current?.end().catch(() => {});
    },
  };
}
