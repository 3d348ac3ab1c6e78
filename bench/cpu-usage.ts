import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";

// Where the CPU went during a run, read from Linux's /proc: the machine's busy time and the CPU
// time (all threads) of the app's processes, PostgreSQL's and the bench's own (which also runs
// the SIR sandbox). Every party shares the machine's cores, so this says how near a run came to
// the machine's limit and what a second worker process could still gain.

type CpuSnapshot = {
  /** Busy CPU-seconds of the whole machine since boot (everything but idle and iowait). */
  machineBusy: number;
  /** CPU-seconds by party since each process started. */
  app: number;
  postgres: number;
  bench: number;
  atMs: number;
};

export type CpuUsage = {
  cores: number;
  seconds: number;
  /** Share of all cores busy, 0–1. */
  machineBusy: number;
  /** CPU milliseconds per order: each party, and the rest of the machine (kernel, others). */
  perOrderMs: { app: number; postgres: number; bench: number; rest: number; total: number };
};

let ticksPerSecond: number | null = null;
function clockTicks() {
  ticksPerSecond ??=
    Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return ticksPerSecond;
}

/** A process's command name and its user + system CPU ticks (/proc/<pid>/stat). */
function processTicks(pid: string): { name: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The name is in parentheses and may hold spaces; the fields after it are space-separated.
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { name, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

export function cpuUsageAvailable() {
  try {
    readFileSync("/proc/stat");
    return true;
  } catch {
    return false;
  }
}

export function cpuSnapshot(appPids: readonly number[]): CpuSnapshot {
  const hz = clockTicks();
  const [, ...times] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = times.map(Number); // not idle, iowait
  const snapshot: CpuSnapshot = {
    machineBusy: (user + nice + system + irq + softirq + steal) / hz,
    app: 0,
    postgres: 0,
    bench: 0,
    atMs: Date.now(),
  };
  const apps = new Set(appPids.map(String));
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    const usage = processTicks(pid);
    if (!usage) continue;
    const seconds = usage.ticks / hz;
    if (apps.has(pid)) snapshot.app += seconds;
    else if (pid === String(process.pid)) snapshot.bench += seconds;
    else if (usage.name === "postgres") snapshot.postgres += seconds;
  }
  return snapshot;
}

/** The CPU used between two snapshots, per order handled in between. */
export function cpuUsageBetween(start: CpuSnapshot, end: CpuSnapshot, orders: number): CpuUsage {
  const cores = os.cpus().length;
  const seconds = (end.atMs - start.atMs) / 1000;
  const perOrder = (cpuSeconds: number) => (cpuSeconds * 1000) / orders;
  const app = end.app - start.app;
  const postgres = end.postgres - start.postgres;
  const bench = end.bench - start.bench;
  const busy = end.machineBusy - start.machineBusy;
  return {
    cores,
    seconds,
    machineBusy: busy / (cores * seconds),
    perOrderMs: {
      app: perOrder(app),
      postgres: perOrder(postgres),
      bench: perOrder(bench),
      rest: perOrder(Math.max(0, busy - app - postgres - bench)),
      total: perOrder(busy),
    },
  };
}
