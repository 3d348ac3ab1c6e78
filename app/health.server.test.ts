import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./db.server";
import { checkReadiness, markNotReady, serveHealthEndpoint } from "./health.server";
import { listenForHeartbeats, startHeartbeat } from "./jobs/heartbeat.server";
import { createTestDatabase, type TestDatabase } from "../test/helpers/test-database";
import { waitFor } from "../test/helpers/wait-for";

// A database of its own: an old inbox event here must not be anybody else's work.
let testDatabase: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDatabase = await createTestDatabase("sqlite");
  database = createDatabase(testDatabase.url);
});
afterAll(async () => {
  await database?.$disconnect();
  await testDatabase?.drop();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function recordEvent(eventKey: string, nextAttemptAt: Date, status = "pending") {
  await database.webhookEvent.create({
    data: {
      source: "shopify",
      shopDomain: "health.myshopify.com",
      topic: "orders/paid",
      eventKey,
      payload: "{}",
      status,
      nextAttemptAt,
      receivedAt: nextAttemptAt,
    },
  });
}

describe("readiness", () => {
  it("fails the worker check until the worker thread's heartbeat is heard, then passes", async () => {
    listenForHeartbeats();
    const before = await checkReadiness(database);
    expect(before.status).toBe("not ready");
    expect(before.failed).toEqual(["worker"]);
    expect(before.checks.worker.detail).toMatch(/no heartbeat/);
    expect(before.checks.database.ok).toBe(true);

    const stop = startHeartbeat(50);
    try {
      const after = await waitFor(
        async () => {
          const readiness = await checkReadiness(database);
          return readiness.status === "ready" ? readiness : null;
        },
        { what: "readiness once the heartbeat is heard", timeoutMs: 5_000 },
      );
      expect(after.checks.worker.heartbeatAgeMs).toBeLessThan(1_000);
      expect(after.checks.inbox).toMatchObject({ ok: true, oldestDueAgeMs: 0 });
    } finally {
      stop();
    }
  });

  it("fails the inbox check when the oldest due event waited longer than READY_MAX_INBOX_AGE_MS", async () => {
    const stop = startHeartbeat(50);
    try {
      // Not due yet (a retry an hour out) and already applied: neither counts.
      await recordEvent("later", new Date(Date.now() + 60 * 60_000));
      await recordEvent("done", minutesAgo(60), "done");
      await waitFor(async () => (await checkReadiness(database)).status === "ready", {
        what: "ready with nothing due",
        timeoutMs: 5_000,
      });
      // Due for 11 minutes; the default limit is 10.
      await recordEvent("stuck", minutesAgo(11));
      const readiness = await checkReadiness(database);
      expect(readiness.status).toBe("not ready");
      expect(readiness.failed).toEqual(["inbox"]);
      expect(readiness.checks.inbox.oldestDueAgeMs).toBeGreaterThanOrEqual(11 * 60_000);
      expect(readiness.checks.inbox.detail).toMatch(/READY_MAX_INBOX_AGE_MS=600000/);
    } finally {
      stop();
      await database.webhookEvent.deleteMany({ where: { shopDomain: "health.myshopify.com" } });
    }
  });

  it("fails the database check, and skips the inbox, when the database does not answer", async () => {
    const unreachable = createDatabase("postgresql://nobody@127.0.0.1:1/none");
    try {
      const readiness = await checkReadiness(unreachable);
      expect(readiness.status).toBe("not ready");
      expect(readiness.failed).toEqual(expect.arrayContaining(["database", "inbox"]));
      expect(readiness.checks.database.ok).toBe(false);
      expect(readiness.checks.inbox.detail).toMatch(/not checked/);
    } finally {
      await unreachable.$disconnect().catch(() => {});
    }
  });
});

describe("the endpoints ahead of Express (serveHealthEndpoint)", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (!serveHealthEndpoint(request, response)) response.writeHead(418).end("not mine");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("answers /healthz with ok, touching nothing, and leaves other paths alone", async () => {
    const live = await fetch(`${url}/healthz`);
    expect(live.status).toBe(200);
    expect(live.headers.get("cache-control")).toBe("no-store");
    expect(await live.text()).toBe("ok\n");
    expect((await fetch(`${url}/healthz?probe=1`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${url}/healthz`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${url}/healthzz`)).status).toBe(418);
  });

  it("answers /readyz with the checks as JSON, 503 once the process is shutting down", async () => {
    const stop = startHeartbeat(50);
    try {
      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
        what: "/readyz 200",
        timeoutMs: 5_000,
      });
      markNotReady("shutting down");
      const response = await waitFor(
        async () => {
          const answer = await fetch(`${url}/readyz`);
          return answer.status === 503 ? answer : null;
        },
        { what: "/readyz 503", timeoutMs: 5_000 },
      );
      expect(response.headers.get("content-type")).toBe("application/json");
      const body = await response.json();
      expect(body).toMatchObject({ status: "not ready", failed: ["process"] });
      expect(body.checks.process.detail).toBe("shutting down");
    } finally {
      stop();
    }
  });
});
