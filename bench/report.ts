import type { AckRun, AppAckRun } from "./ack-latency";
import type { DrainRun } from "./backlog-drain";
import type { ReferenceDrainRun } from "./reference-drain";
import type { BackfillRun } from "./backfill";
import type { RewardsPageRun } from "./rewards-page";
import type { PaintMetrics, StorefrontRun } from "./storefront";
import type { WidgetSizes, measureEstimateSizes } from "../test/widget/asset-sizes";

/** The token estimate block: its assets and the storefront with and without it. */
export type EstimateBenchRun = {
  sizes: ReturnType<typeof measureEstimateSizes>;
  storefront: StorefrontRun;
};

export type BenchResults = {
  ackSirFast: AppAckRun;
  ackSirSlow: AppAckRun;
  inlineBaseline: AckRun;
  /** The bare reference server under the same load (bench/reference-ack-server.ts). */
  ackReference: AckRun;
  drainSqlite: DrainRun;
  drainPostgresOne: DrainRun;
  drainPostgresTwo: DrainRun;
  /** The bare reference loop over the same orders (bench/reference-drain-loop.ts). */
  drainReference: ReferenceDrainRun;
  backfill: BackfillRun;
  rewardsPage: RewardsPageRun;
  /** A webhook answered by process A, its reward sent by B (bench/cross-process-wake.ts). */
  crossProcessWake: import("./cross-process-wake").CrossProcessWakeRun;
  widget: WidgetSizes;
  widgetLines: string[];
  storefront: StorefrontRun;
  /** The token estimate block (bench/estimate.ts). */
  estimate?: EstimateBenchRun;
};

type Verdict = "met" | "MISSED" | "";
export type Row = { measurement: string; figure: string; target: string; verdict: Verdict };

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const perSecond = (value: number) => `${Math.round(value)}/s`;
const check = (met: boolean): Verdict => (met ? "met" : "MISSED");
const count = (value: number) => value.toLocaleString("en-US");

function ackFigure(run: AckRun): string {
  const failed = run.sent - run.ok;
  const failures = failed
    ? `; ${count(failed)} of ${count(run.sent)} not answered 200 (${Object.entries(run.failures)
        .map(([outcome, times]) => `${outcome}: ${times}`)
        .join(", ")})`
    : "";
  return `p50 ${ms(run.p50Ms)}, p99 ${ms(run.p99Ms)}${failures}`;
}

function referenceDrainFigure(run: ReferenceDrainRun): string {
  const cpu = run.cpu ? `CPU per order ${run.cpu.perOrderMs.app.toFixed(2)} ms; ` : "";
  return `${cpu}${perSecond(run.ordersPerSecond)} (${count(run.orders)} in ${run.seconds.toFixed(1)} s), SIR accepted ${count(run.accepted)}`;
}

function drainFigure(run: DrainRun): string {
  const partial =
    run.rewarded < run.orders
      ? ` (stopped at the time limit: ${count(run.rewarded)} of ${count(run.orders)} in ${run.seconds.toFixed(0)} s)`
      : ` (${count(run.orders)} in ${run.seconds.toFixed(1)} s)`;
  return `${perSecond(run.ordersPerSecond)}${partial}; doubles ${run.tally.doubles}`;
}

/**
 * What the machine allowed: in the two-process run, its cores divided by the CPU each order took
 * system-wide (app, PostgreSQL, the sandbox, the kernel) is the most that run could have drained
 * with every core busy; divided by the one-process rate, the most the second process could add.
 */
function scalingCeiling(one: DrainRun, two: DrainRun): string {
  if (!two.cpu) return "";
  const ceiling = (two.cpu.cores * 1000) / two.cpu.perOrderMs.total;
  return (
    `; machine ${Math.round(two.cpu.machineBusy * 100)} % busy in the 2-process run, whose CPU per order ` +
    `lets ${two.cpu.cores} cores drain at most ${perSecond(ceiling)} = ${(ceiling / one.ordersPerSecond).toFixed(2)}×`
  );
}

const times = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)}×`;

/** The app's ack p50 and p99 as multiples of the reference server's, in each SIR setting. */
function ackRatios(fast: AckRun, slow: AckRun, reference: AckRun): string {
  const ratios = (run: AckRun) =>
    `p50 ${times(run.p50Ms / reference.p50Ms)}, p99 ${times(run.p99Ms / reference.p99Ms)}`;
  return `SIR +0 ms: ${ratios(fast)}; SIR +200 ms: ${ratios(slow)}`;
}

/** The app processes' CPU per order as a multiple of the reference loop's. */
function drainCpuRatios(results: BenchResults): string {
  const reference = results.drainReference.cpu?.perOrderMs.app;
  const sqlite = results.drainSqlite.cpu?.perOrderMs.app;
  const postgres = results.drainPostgresOne.cpu?.perOrderMs.app;
  if (!reference || !sqlite) return "not measured (no /proc)";
  const ratio = (app: number) =>
    `${app.toFixed(2)} ms ÷ ${reference.toFixed(2)} ms = ${times(app / reference)}`;
  return `SQLite, 1 worker: ${ratio(sqlite)}${postgres ? `; PostgreSQL, 1 worker process (app only): ${ratio(postgres)}` : ""}`;
}

function paintFigure(metrics: PaintMetrics): string {
  return `FCP ${ms(metrics.fcpMs)}, LCP ${ms(metrics.lcpMs)}, CLS ${metrics.cls.toFixed(3)}, blocking ${ms(metrics.blockingMs)}`;
}

export function benchmarkRows(results: BenchResults): Row[] {
  const { ackSirFast, ackSirSlow, inlineBaseline, backfill, rewardsPage, storefront } = results;
  const ratio = inlineBaseline.p99Ms / ackSirSlow.p99Ms;
  const scaling =
    results.drainPostgresTwo.ordersPerSecond / results.drainPostgresOne.ordersPerSecond;
  const peakRss = Math.max(ackSirFast.peakRssMb, ackSirSlow.peakRssMb);
  const backfillDone = backfill.rewarded === backfill.orders;
  const lighthouse = storefront.lighthouse;
  return [
    {
      measurement: "Webhook ack, app on SQLite, 200 req/s × 30 s, SIR +0 ms",
      figure: ackFigure(ackSirFast),
      target: "p99 ≤ 25 ms",
      verdict: check(ackSirFast.p99Ms <= 25 && ackSirFast.ok === ackSirFast.sent),
    },
    {
      measurement: "Webhook ack, app on SQLite, same load, SIR +200 ms",
      figure: ackFigure(ackSirSlow),
      target: "p99 ≤ 25 ms",
      verdict: check(ackSirSlow.p99Ms <= 25 && ackSirSlow.ok === ackSirSlow.sent),
    },
    {
      measurement: "Webhook ack, inline baseline (SIR called before answering), SIR +200 ms",
      figure: ackFigure(inlineBaseline),
      target: "",
      verdict: "",
    },
    {
      measurement: "Webhook ack, bare reference server (HMAC + prepared SQLite insert), same load",
      figure: ackFigure(results.ackReference),
      target: "",
      verdict: "",
    },
    {
      measurement: "Webhook ack: app ÷ reference",
      figure: ackRatios(ackSirFast, ackSirSlow, results.ackReference),
      target: "",
      verdict: "",
    },
    {
      measurement: "p99 ratio: inline baseline ÷ app (both SIR +200 ms)",
      figure: `${ratio.toFixed(1)}×`,
      target: "≥ 20×",
      verdict: check(ratio >= 20),
    },
    {
      measurement: "Backlog drain, 10,000 paid orders, 1 worker, SQLite",
      figure: drainFigure(results.drainSqlite),
      target: "≥ 300/s",
      verdict: check(results.drainSqlite.ordersPerSecond >= 300),
    },
    {
      measurement: "Backlog drain, 10,000 paid orders, 1 worker process, PostgreSQL",
      figure: drainFigure(results.drainPostgresOne),
      target: "",
      verdict: "",
    },
    {
      measurement: "Backlog drain, 10,000 paid orders, 2 worker processes, PostgreSQL",
      figure: drainFigure(results.drainPostgresTwo),
      target: "",
      verdict: "",
    },
    {
      measurement:
        "Drain, bare reference loop (JSON.parse, earning basis, insert per 200, bulk per 100)",
      figure: referenceDrainFigure(results.drainReference),
      target: "",
      verdict: "",
    },
    {
      measurement: "Drain: app CPU per order ÷ reference",
      figure: drainCpuRatios(results),
      target: "",
      verdict: "",
    },
    {
      measurement: "PostgreSQL: 2 worker processes ÷ 1",
      figure: `${scaling.toFixed(2)}×${scalingCeiling(results.drainPostgresOne, results.drainPostgresTwo)}`,
      target: "≥ 1.7×",
      verdict: check(scaling >= 1.7),
    },
    {
      measurement: "Backfill of 10,000 past orders (bulk endpoint, Admin API intercepted)",
      figure: backfillDone
        ? `${backfill.seconds.toFixed(1)} s (${perSecond(backfill.ordersPerSecond)}); doubles ${backfill.tally.doubles}, lost ${backfill.tally.lost}`
        : `stopped at the time limit: ${count(backfill.rewarded)} of ${count(backfill.orders)} in ${backfill.seconds.toFixed(0)} s (${perSecond(backfill.ordersPerSecond)}, all 10,000 ≈ ${Math.round(backfill.orders / backfill.ordersPerSecond)} s)`,
      target: "≤ 60 s",
      verdict: check(backfillDone && backfill.seconds <= 60),
    },
    {
      measurement: `Rewards page server render, ${count(rewardsPage.rows)} ledger rows`,
      figure: `p95 ${ms(rewardsPage.p95Ms)} (p50 ${ms(rewardsPage.p50Ms)}; first page p95 ${ms(rewardsPage.firstPageP95Ms)}, deep pages p95 ${ms(rewardsPage.deepPageP95Ms)})`,
      target: "p95 ≤ 100 ms",
      verdict: check(rewardsPage.p95Ms <= 100),
    },
    {
      measurement: `Webhook answered by process A → its reward sent by B (PostgreSQL NOTIFY; B polls every 60 s), ${results.crossProcessWake.webhooks} webhooks`,
      figure: `p50 ${ms(results.crossProcessWake.p50Ms)}, p99 ${ms(results.crossProcessWake.p99Ms)} (max ${ms(results.crossProcessWake.maxMs)})`,
      target: "p99 ≤ 1 s",
      verdict: check(results.crossProcessWake.p99Ms <= 1_000),
    },
    {
      measurement: "Peak RSS of the app under the ack load",
      figure: `${Math.round(peakRss)} MB`,
      target: "≤ 250 MB",
      verdict: check(peakRss <= 250),
    },
    {
      measurement: "Widget JS, gzipped",
      figure: `${count(results.widget.js.gzipBytes)} B`,
      target: "≤ 4,096 B (our budget)",
      verdict: check(results.widget.js.gzipBytes <= 4096),
    },
    {
      measurement: "Widget CSS, gzipped",
      figure: `${count(results.widget.css.gzipBytes)} B`,
      target: "≤ 2,048 B (our budget)",
      verdict: check(results.widget.css.gzipBytes <= 2048),
    },
    {
      measurement: "Lighthouse performance score, test storefront without / with the block",
      figure: `${lighthouse.withoutBlock} / ${lighthouse.withBlock}`,
      target: "0 points lost",
      verdict: check(lighthouse.withBlock >= lighthouse.withoutBlock),
    },
    {
      measurement: "Chromium paint metrics without the block (throttled; not a score)",
      figure: paintFigure(storefront.withoutBlock),
      target: "",
      verdict: "",
    },
    {
      measurement: "Chromium paint metrics with the block (throttled; not a score)",
      figure: paintFigure(storefront.withBlock),
      target: "",
      verdict: "",
    },
    ...(results.estimate ? estimateRows(results.estimate) : []),
  ];
}

export function estimateRows({ sizes, storefront }: EstimateBenchRun): Row[] {
  const { lighthouse } = storefront;
  return [
    {
      measurement: "Estimate block JS, gzipped",
      figure: `${count(sizes.js.gzipBytes)} B`,
      target: "≤ 2,048 B",
      verdict: check(sizes.js.gzipBytes <= 2048),
    },
    {
      measurement: "Estimate block CSS, gzipped",
      figure: `${count(sizes.css.gzipBytes)} B`,
      target: "≤ 1,024 B (our budget)",
      verdict: check(sizes.css.gzipBytes <= 1024),
    },
    {
      measurement: "Lighthouse performance score, product page without / with the estimate block",
      figure: `${lighthouse.withoutBlock} / ${lighthouse.withBlock}`,
      target: "0 points lost",
      verdict: check(lighthouse.withBlock >= lighthouse.withoutBlock),
    },
    {
      measurement: "Chromium paint metrics with the estimate block (throttled; not a score)",
      figure: paintFigure(storefront.withBlock),
      target: "",
      verdict: "",
    },
  ];
}

export function textTable(rows: Row[]): string {
  const headers = ["measurement", "figure", "target", "result"];
  const cells = rows.map((row) => [row.measurement, row.figure, row.target, row.verdict]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((cell) => cell[column].length)),
  );
  const line = (values: string[]) =>
    values.map((value, column) => value.padEnd(widths[column])).join(" │ ");
  return [
    line(headers),
    widths.map((width) => "─".repeat(width)).join("─┼─"),
    ...cells.map(line),
  ].join("\n");
}

export function markdownTable(rows: Row[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| Measurement | Figure | Target | Result |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${escape(row.measurement)} | ${escape(row.figure)} | ${escape(row.target)} | ${row.verdict ? `**${row.verdict}**` : ""} |`,
    ),
  ].join("\n");
}

/** The raw figures behind the table, for docs/benchmarks.md. */
export function detailLines(results: BenchResults): string[] {
  const ack = (name: string, run: AckRun) =>
    `- ${name}: sent ${count(run.sent)} at ${run.achievedRate.toFixed(1)} req/s (loader's own send lag p99 ${ms(run.sendLagP99Ms)}); ` +
    `answered 200: ${count(run.ok)}; p50 ${ms(run.p50Ms)}, p99 ${ms(run.p99Ms)}, max ${ms(run.maxMs)}; peak RSS ${Math.round(run.peakRssMb)} MB` +
    ("rewardedDuringLoad" in run
      ? `; orders the worker thread had sent to SIR by the end of the load: ${count((run as AppAckRun).rewardedDuringLoad)}`
      : "");
  const cpu = ({ cpu }: DrainRun) => {
    if (!cpu) return "";
    const perOrder = (value: number) => `${value.toFixed(2)} ms`;
    const { app, postgres, bench, rest, total } = cpu.perOrderMs;
    return (
      `; CPU from the release to the end: machine ${Math.round(cpu.machineBusy * 100)} % busy (${cpu.cores} cores), ` +
      `per order ${perOrder(total)}: app processes ${perOrder(app)}, PostgreSQL ${perOrder(postgres)}, ` +
      `bench process (SIR sandbox, polling) ${perOrder(bench)}, rest (kernel, other) ${perOrder(rest)}`
    );
  };
  const drain = (name: string, run: DrainRun) =>
    `- ${name}: ${count(run.rewarded)} of ${count(run.orders)} rewarded in ${run.seconds.toFixed(1)} s = ${run.ordersPerSecond.toFixed(1)}/s; at SIR: ${count(run.tally.actionsAtSir)} actions, ${run.tally.doubles} doubles${run.rewarded === run.orders ? `, ${run.tally.lost} lost` : ""}${cpu(run)}`;
  const referenceDrain = (run: ReferenceDrainRun) => {
    const cpu = run.cpu
      ? `; CPU from the start to the last bulk answer: machine ${Math.round(run.cpu.machineBusy * 100)} % busy (${run.cpu.cores} cores), ` +
        `per order: the loop's process ${run.cpu.perOrderMs.app.toFixed(2)} ms, bench process (SIR sandbox) ${run.cpu.perOrderMs.bench.toFixed(2)} ms, rest (kernel, other) ${run.cpu.perOrderMs.rest.toFixed(2)} ms`
      : "";
    return `- Drain, bare reference loop: ${count(run.orders)} orders in ${run.seconds.toFixed(1)} s = ${run.ordersPerSecond.toFixed(1)}/s; SIR accepted ${count(run.accepted)}${cpu}`;
  };
  const { backfill, rewardsPage } = results;
  return [
    ack("App, SIR +0 ms", results.ackSirFast),
    ack("App, SIR +200 ms", results.ackSirSlow),
    ack("Inline baseline, SIR +200 ms", results.inlineBaseline),
    ack("Bare reference server (HMAC + prepared SQLite insert)", results.ackReference),
    drain("Drain, SQLite, 1 worker", results.drainSqlite),
    drain("Drain, PostgreSQL, 1 worker process", results.drainPostgresOne),
    drain("Drain, PostgreSQL, 2 worker processes", results.drainPostgresTwo),
    referenceDrain(results.drainReference),
    `- Backfill: ${count(backfill.rewarded)} of ${count(backfill.orders)} sent to SIR in ${backfill.seconds.toFixed(1)} s = ${backfill.ordersPerSecond.toFixed(1)}/s; at SIR: ${count(backfill.tally.actionsAtSir)} actions, ${backfill.tally.doubles} doubles`,
    `- Rewards page: ${rewardsPage.renders} sequential renders after 20 warm-up ones, half the first page, half 20 pages spread through the ledger; p50 ${ms(rewardsPage.p50Ms)}, p95 ${ms(rewardsPage.p95Ms)}`,
    ...results.widgetLines.map((line) => `- ${line}`),
  ];
}
