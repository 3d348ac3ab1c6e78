import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "./config.server";
import { db, type Database } from "./db.server";
import { heartbeatAgeMs, listenForHeartbeats } from "./jobs/heartbeat.server";

// Liveness and readiness, cheap enough for a load balancer and an orchestrator to poll every
// second each. /healthz answers "the process answers" and touches nothing. /readyz says
// whether this instance should be sent work: its database answers, its worker thread is
// alive, and the inbox's oldest due event has not waited too long (a stuck worker, here or in
// every process of the database). One check runs at a time and its answer serves every probe
// for CACHE_MS, so any number of pollers cost one SELECT 1 and one indexed read a second at most.

const CACHE_MS = 500;
/** A database that does not answer within this is as good as down, for a probe. */
const DATABASE_TIMEOUT_MS = 2_000;

export type CheckResult = { ok: boolean; detail?: string } & Record<string, unknown>;
export type Readiness = {
  status: "ready" | "not ready";
  /** The names of the checks that failed. */
  failed: string[];
  /** database, worker, inbox; and process, once the process is shutting down. */
  checks: Record<string, CheckResult>;
};

let notReadyReason: string | null = null;

/** From now on /readyz answers 503 with this reason (a process that is shutting down). */
export function markNotReady(reason: string) {
  notReadyReason = reason;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function checkWorker(now: number): CheckResult {
  if (!config.workerEnabled) return { ok: true, detail: "disabled (WORKER_ENABLED=false)" };
  const age = heartbeatAgeMs(now);
  if (age === null) return { ok: false, detail: "no heartbeat from the worker thread yet" };
  const ok = age <= config.readyMaxHeartbeatAgeMs;
  return ok
    ? { ok, heartbeatAgeMs: age }
    : {
        ok,
        heartbeatAgeMs: age,
        detail: `worker thread silent for ${age} ms (READY_MAX_HEARTBEAT_AGE_MS=${config.readyMaxHeartbeatAgeMs})`,
      };
}

async function checkInbox(database: Database, now: number): Promise<CheckResult> {
  // The oldest event that is due and not yet applied; a retry counts from when it fell due.
  const oldest = await database.webhookEvent.findFirst({
    where: { status: "pending", nextAttemptAt: { lte: new Date(now) } },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  const age = oldest ? Math.max(0, now - oldest.nextAttemptAt.getTime()) : 0;
  const limit = config.readyMaxInboxAgeMs;
  if (limit === 0 || age <= limit) return { ok: true, oldestDueAgeMs: age };
  return {
    ok: false,
    oldestDueAgeMs: age,
    detail: `the oldest due inbox event has waited ${age} ms (READY_MAX_INBOX_AGE_MS=${limit})`,
  };
}

const failure = (error: unknown): CheckResult => ({
  ok: false,
  detail: error instanceof Error ? error.message : String(error),
});

/** Runs the readiness checks now (no cache). */
export async function checkReadiness(database: Database = db): Promise<Readiness> {
  const now = Date.now();
  const started = performance.now();
  const database_: CheckResult = await withTimeout(
    database.$queryRawUnsafe("SELECT 1"),
    DATABASE_TIMEOUT_MS,
    "the database",
  ).then(
    () => ({ ok: true, ms: Math.round(performance.now() - started) }),
    (error: unknown) => failure(error),
  );
  const inbox: CheckResult = database_.ok
    ? await withTimeout(checkInbox(database, now), DATABASE_TIMEOUT_MS, "the inbox query").catch(
        failure,
      )
    : { ok: false, detail: "not checked: the database did not answer" };
  const checks: Record<string, CheckResult> = {
    database: database_,
    worker: checkWorker(now),
    inbox,
  };
  if (notReadyReason) checks.process = { ok: false, detail: notReadyReason };
  const failed = Object.entries(checks)
    .filter(([, result]) => !result.ok)
    .map(([name]) => name);
  return { status: failed.length === 0 ? "ready" : "not ready", failed, checks };
}

let cached: { at: number; readiness: Promise<Readiness> } | null = null;

/** The readiness answer, shared by the probes of the next CACHE_MS. */
export function readiness(): Promise<Readiness> {
  listenForHeartbeats();
  const now = Date.now();
  if (!cached || now - cached.at >= CACHE_MS) {
    cached = { at: now, readiness: checkReadiness() };
  }
  return cached.readiness;
}

const NO_STORE = { "Cache-Control": "no-store" };

/** /healthz as a Fetch Response (the Remix route, under `shopify app dev`). */
export function livenessResponse(): Response {
  return new Response("ok\n", { headers: { ...NO_STORE, "Content-Type": "text/plain" } });
}

/** /readyz as a Fetch Response (the Remix route, under `shopify app dev`). */
export async function readinessResponse(): Promise<Response> {
  const result = await readiness();
  return new Response(JSON.stringify(result), {
    status: result.status === "ready" ? 200 : 503,
    headers: { ...NO_STORE, "Content-Type": "application/json" },
  });
}

/**
 * The production server (server.mjs) offers every request here first, ahead of Express and
 * Remix, like the webhook endpoints: a probe every second must cost next to nothing. Returns
 * false for any other path.
 */
export function serveHealthEndpoint(request: IncomingMessage, response: ServerResponse): boolean {
  const path = request.url?.split("?")[0];
  if (path !== "/healthz" && path !== "/readyz") return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD" }).end();
    return true;
  }
  const head = request.method === "HEAD";
  if (path === "/healthz") {
    response.writeHead(200, { ...NO_STORE, "Content-Type": "text/plain" }).end(head ? "" : "ok\n");
    return true;
  }
  readiness().then(
    (result) => {
      const body = JSON.stringify(result);
      response
        .writeHead(result.status === "ready" ? 200 : 503, {
          ...NO_STORE,
          "Content-Type": "application/json",
        })
        .end(head ? "" : body);
    },
    (error: unknown) => {
      response
        .writeHead(503, { ...NO_STORE, "Content-Type": "application/json" })
        .end(JSON.stringify({ status: "not ready", failed: ["check"], detail: String(error) }));
    },
  );
  return true;
}

// The request thread hears the worker thread from its first import on, so the first probe
// already knows about beats sent before it.
listenForHeartbeats();
