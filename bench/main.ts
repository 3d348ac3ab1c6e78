/**
 * `npm run bench`: what a merchant cares about at Black-Friday volume, measured on this machine
 * in one run. Prints a table and writes docs/benchmarks.md. See docs/benchmarks.md for what each
 * figure measures.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, buildApp, describeMachine } from "./environment";
import { paidOrders } from "../test/helpers/paid-orders";
import { formatWidgetSizes, measureWidgetSizes } from "../test/widget/asset-sizes";
import {
  ACK_DURATION_SECONDS,
  ACK_ORDERS,
  ACK_RATE_PER_SECOND,
  ACK_WARM_UP_SECONDS,
  measureAppAck,
  measureInlineBaselineAck,
} from "./ack-latency";
import { measureBacklogDrain } from "./backlog-drain";
import { measureReferenceAck } from "./reference-ack";
import { measureReferenceDrain } from "./reference-drain";
import { measureBackfill } from "./backfill";
import { measureRewardsPage } from "./rewards-page";
import { measureStorefront } from "./storefront";
import { CHROMIUM_PATH, chromiumAvailable } from "../test/helpers/chromium";
import { benchmarkRows, detailLines, markdownTable, textTable, type BenchResults } from "./report";

const BACKLOG_ORDERS = 10_000;
const BACKFILL_ORDERS = 10_000;
const LEDGER_ROWS = 100_000;
const CROSS_PROCESS_WEBHOOKS = 200;
const SIR_SLOW_MS = 200;
// Keep the whole bench within minutes even when a target is far off: a run that reaches its
// limit is reported as such, with the rate it reached.
const DRAIN_TIME_LIMIT_MS = 100_000;
const BACKFILL_TIME_LIMIT_MS = 120_000;

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  process.stderr.write(`▶ ${name}… `);
  const result = await run();
  process.stderr.write(`${((performance.now() - startedAt) / 1000).toFixed(0)} s\n`);
  return result;
}

// The storefront figures need Debian's Chromium: installed as the tests install it, and checked
// before the long measurements rather than after them.
spawnSync("bash", [join(ROOT, "scripts", "ensure-chromium.sh")], { stdio: "inherit" });
if (!chromiumAvailable()) {
  throw new Error(
    `The storefront figures need Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`,
  );
}

const startedAt = performance.now();
const date = new Date();
const machine = describeMachine();
const build = await step("building the app", async () => buildApp());
try {
  const orders = paidOrders(BACKLOG_ORDERS);
  const ackBodies = orders.slice(0, ACK_ORDERS).map((order) => order.body);
  const widget = measureWidgetSizes();
  const results: BenchResults = {
    ackSirFast: await step("ack latency, app, SIR +0 ms", () => measureAppAck(ackBodies, 0)),
    ackSirSlow: await step(`ack latency, app, SIR +${SIR_SLOW_MS} ms`, () =>
      measureAppAck(ackBodies, SIR_SLOW_MS),
    ),
    inlineBaseline: await step(`ack latency, inline baseline, SIR +${SIR_SLOW_MS} ms`, () =>
      measureInlineBaselineAck(ackBodies, SIR_SLOW_MS),
    ),
    ackReference: await step("ack latency, bare reference server", () =>
      measureReferenceAck(ackBodies),
    ),
    drainSqlite: await step("backlog drain, SQLite, 1 worker", () =>
      measureBacklogDrain("sqlite", 1, orders, DRAIN_TIME_LIMIT_MS),
    ),
    drainPostgresOne: await step("backlog drain, PostgreSQL, 1 worker", () =>
      measureBacklogDrain("postgresql", 1, orders, DRAIN_TIME_LIMIT_MS),
    ),
    drainPostgresTwo: await step("backlog drain, PostgreSQL, 2 workers", () =>
      measureBacklogDrain("postgresql", 2, orders, DRAIN_TIME_LIMIT_MS),
    ),
    drainReference: await step("backlog drain, bare reference loop", () =>
      measureReferenceDrain(orders),
    ),
    backfill: await step("backfill", () =>
      measureBackfill(BACKFILL_ORDERS, BACKFILL_TIME_LIMIT_MS),
    ),
    rewardsPage: await step("rewards page render", () => measureRewardsPage(LEDGER_ROWS)),
    crossProcessWake: await step("cross-process wake, PostgreSQL, 2 processes", async () =>
      (await import("./cross-process-wake")).measureCrossProcessWake(CROSS_PROCESS_WEBHOOKS),
    ),
    widget,
    widgetLines: formatWidgetSizes(widget),
    storefront: await step("storefront with and without the block", () => measureStorefront()),
    estimate: await step("storefront with and without the estimate block", async () =>
      (await import("./estimate")).measureEstimate(),
    ),
  };
  const rows = benchmarkRows(results);
  const minutes = ((performance.now() - startedAt) / 60_000).toFixed(1);
  console.log(`\n${textTable(rows)}\n`);
  console.log(`bench finished in ${minutes} min; written to docs/benchmarks.md`);

  const markdown = `# Benchmarks

Written by \`npm run bench\` on ${date.toISOString().slice(0, 16).replace("T", " ")} UTC, in ${minutes} minutes.
Machine: ${machine.cpu}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; load
average when the bench started: ${machine.loadAverage} (other work on the machine shares the CPUs;
compare ratios taken in one run, not absolute times across runs).

${markdownTable(rows)}

## What was measured

- **Webhook acknowledgement.** The production server (\`server.mjs\`, worker in its thread) on a
  fresh SQLite database, one shop connected to the SIR sandbox. A paced open-loop loader
  (\`bench/paced-load.ts\`; autocannon's \`overallRate\` sends each second's quota in one burst)
  sends ${ACK_RATE_PER_SECOND} signed \`orders/paid\` deliveries per second for ${ACK_DURATION_SECONDS} s over
  keep-alive connections, each a distinct order with a new event id, after ${ACK_WARM_UP_SECONDS} s of the
  same load that is not counted (a server under Black-Friday load is warm); latency is from
  sending to the end of the answer. A request unanswered after 5 s (Shopify's limit) counts as failed at 5 s.
  The app runs twice: with SIR answering at once (the worker busiest next to the route) and with
  SIR ${SIR_SLOW_MS} ms slow. The baseline (\`bench/inline-baseline-server.ts\`, its own process)
  checks the HMAC the same way and submits to SIR through the app's client before answering,
  against the sandbox at +${SIR_SLOW_MS} ms, under the identical load.
- **Reference server (what the machine allows an acknowledgement).** Absolute figures move by
  half from one machine to the next, so the same run measures a bare server under the identical
  load (\`bench/reference-ack-server.ts\`, its own process): Shopify's HMAC with one
  \`node:crypto\` call, the raw body inserted into SQLite with one prepared better-sqlite3
  statement (WAL, \`synchronous = FULL\`, a unique key on the event), the 200, and nothing else.
  The app's p50 and p99 are given as multiples of its own.
- **Peak RSS.** The app process's VmRSS sampled every 100 ms during each ack run, and its VmHWM.
- **Backlog drain.** ${BACKLOG_ORDERS.toLocaleString("en-US")} paid orders inserted into the inbox
  (\`WebhookEvent\` rows with the raw signed bodies, through Prisma's createMany rather than
  HTTP) and held; the worker process(es) start, then the backlog is released and timed to the last
  reward's \`rewardedAt\`, the sandbox at zero added latency. SIR's \`action.completed\` webhooks
  flow back to the app as in production. Time limit ${DRAIN_TIME_LIMIT_MS / 1000} s per run.
  Over the same window the bench reads \`/proc\`: how busy the machine was, and the CPU time each
  order took in the app processes (all threads), PostgreSQL, the bench process (which runs the SIR
  sandbox) and the rest. Everything shares the machine's cores, so for the two-process run the
  cores divided by that CPU per order is the most it could drain with every core busy: the
  ceiling the scaling row reports beside the ratio.
- **Reference loop (what the machine allows a drain).** In the same run, a bare loop
  (\`bench/reference-drain-loop.ts\`, its own process) over the same ${BACKLOG_ORDERS.toLocaleString("en-US")} order bodies,
  read 200 at a time from an SQLite inbox: \`JSON.parse\`, the app's own earning basis
  (\`parseOrderPayload\`, \`computeEarningBasis\`), one prepared insert of the 200 ledger rows, and
  one signed bulk POST per 100 to a sandbox at zero added latency (through the app's SIR client);
  no claims, timelines, receipts or webhooks. Its CPU per order is read from \`/proc\` as the
  drains' is, and the app's CPU per order (its processes only: the SQLite run, and the
  PostgreSQL one-process run without PostgreSQL's own share) is given as a multiple of it.
- **Backfill.** \`runBackfill\` (as the CLI runs it) over ${BACKFILL_ORDERS.toLocaleString("en-US")}
  past orders; the Admin GraphQL API is intercepted with msw, serving pages of 100 GraphQL orders,
  each page one call to SIR's bulk endpoint. Time limit ${BACKFILL_TIME_LIMIT_MS / 1000} s.
- **Rewards page.** \`/app/rewards\` from the production server, authenticated with a session
  token as the Shopify admin sends it, over a ledger of ${LEDGER_ROWS.toLocaleString("en-US")} rows
  of one shop: loaders and React server render, sequential requests.
- **Storefront.** A product page of a test storefront with and without the donate block (Liquid
  rendered as in the widget tests, assets served locally, SIR sandbox), in Debian's Chromium with
  DevTools throttling (4× CPU, 150 ms RTT, 1.6 Mbit/s), median of 5 cold loads; and Lighthouse
  12.8.2's performance score of each page (mobile defaults, its own simulated throttling), the
  median of 3 runs in the same Chromium.

## Figures

${detailLines(results).join("\n")}
`;
  writeFileSync(join(ROOT, "docs", "benchmarks.md"), markdown);
} finally {
  build.remove();
}
