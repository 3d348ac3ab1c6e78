import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import type { SandboxPartner } from "../test/helpers/pipeline";
import type { PaidOrder } from "../test/helpers/paid-orders";
import { startSandbox } from "../test/sir-sandbox/server";
import { ROOT } from "./environment";
import { cpuSnapshot, cpuUsageAvailable, cpuUsageBetween, type CpuUsage } from "./cpu-usage";

export type ReferenceDrainRun = {
  orders: number;
  /** Orders the loop had sent and SIR accepted (all of them, in a sound run). */
  accepted: number;
  seconds: number;
  ordersPerSecond: number;
  /** `perOrderMs.app` is the loop process's own CPU per order; `bench` the sandbox's. */
  cpu: CpuUsage | null;
};

/** The inbox rows the drain gets, with the same raw bodies, in a file of their own. */
function writeInbox(file: string, orders: readonly PaidOrder[]) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(
    "CREATE TABLE inbox (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, body TEXT NOT NULL)",
  );
  const insert = db.prepare("INSERT INTO inbox (event_id, body) VALUES (?, ?)");
  db.transaction(() => {
    orders.forEach((order, index) => insert.run(`event-${index}`, order.body));
  })();
  db.close();
}

/**
 * The bare reference loop (bench/reference-drain-loop.ts, its own process) over the same paid
 * orders as the drains, against a sandbox at zero added latency like theirs. Its CPU is read
 * from /proc between the start and the last bulk answer, as the drains' is.
 */
export async function measureReferenceDrain(
  orders: readonly PaidOrder[],
): Promise<ReferenceDrainRun> {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-reference-drain-"));
  const file = join(dir, "reference.sqlite");
  writeInbox(file, orders);
  const sandbox = await startSandbox({ port: 0 });
  const partner = (await (
    await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
  ).json()) as SandboxPartner;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "reference-drain-loop.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        REFERENCE_DB: file,
        SIR_URL: sandbox.url,
        SIR_SECRET_KEY: partner.secretKey,
        SIR_HMAC_SECRET: partner.hmacSecret,
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const messages = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<Record<string, number | boolean>>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the reference loop exited: ${code}`));
      child.once("exit", onExit);
      messages.once("line", (line) => {
        child.off("exit", onExit);
        resolve(JSON.parse(line));
      });
    });
  try {
    await next(); // {"ready": true}
    const cpuAtStart = cpuUsageAvailable() ? cpuSnapshot([child.pid!]) : null;
    const startedAt = performance.now();
    const finished = next();
    child.stdin.write("go\n");
    const result = await finished;
    const seconds = (performance.now() - startedAt) / 1000;
    const cpuAtEnd = cpuAtStart ? cpuSnapshot([child.pid!]) : null;
    const done = Number(result.done);
    return {
      orders: done,
      accepted: Number(result.accepted),
      seconds,
      ordersPerSecond: done / seconds,
      cpu: cpuAtStart && cpuAtEnd ? cpuUsageBetween(cpuAtStart, cpuAtEnd, done) : null,
    };
  } finally {
    child.stdin.end();
    await exited;
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
