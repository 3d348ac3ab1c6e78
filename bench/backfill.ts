/**
 * Backfill of past paid orders through SIR's bulk endpoint, with Shopify's Admin GraphQL API
 * intercepted by msw. The parent (measureBackfill) owns the database and the SIR sandbox and
 * counts what SIR recorded; the timed part runs in a child process (this file with --child)
 * because the app's Shopify module and its session storage bind to DATABASE_URL on import.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../test/sir-sandbox/server";
import type { SandboxAction, SandboxPartner } from "../test/helpers/pipeline";
import { tallyOrders, type SirTally } from "../test/helpers/sir-tally";
import { ROOT, storeOfflineSession, useFreshDatabase } from "./environment";

export type BackfillRun = {
  orders: number;
  /** Orders sent to SIR when the run ended: all, unless the time limit stopped it. */
  rewarded: number;
  seconds: number;
  ordersPerSecond: number;
  tally: SirTally;
};

const SHOP = "bench-backfill.myshopify.com";
const FIRST_ORDER_ID = 6_100_000_000_000n;
const STARTED_LINE = "BACKFILL_STARTED";
const RESULT_PREFIX = "BACKFILL_RESULT ";

const orderIdOf = (index: number) => (FIRST_ORDER_ID + BigInt(index)).toString();

/** A run still going at `timeLimitMs` is stopped and measured on the orders done by then. */
export async function measureBackfill(orders: number, timeLimitMs: number): Promise<BackfillRun> {
  const database = await useFreshDatabase("sqlite");
  const sandbox = await startSandbox({ port: 0 });
  try {
    const partner = (await (
      await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
    ).json()) as SandboxPartner;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "bench", "backfill.ts"), "--child"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          BACKFILL_ORDERS: String(orders),
          SIR_URL: sandbox.url,
          SIR_PUBLIC_KEY: partner.publicKey,
          SIR_SECRET_KEY: partner.secretKey,
          SIR_HMAC_SECRET: partner.hmacSecret,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    let startedAt = 0;
    let limit: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      // The clock starts with the backfill itself, not with the child's start-up.
      if (!startedAt && output.includes(STARTED_LINE)) {
        startedAt = performance.now();
        limit = setTimeout(() => child.kill("SIGKILL"), timeLimitMs);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(limit);
    const line = output.split("\n").find((text) => text.startsWith(RESULT_PREFIX));
    const stopped = child.signalCode === "SIGKILL";
    if (!stopped && (code !== 0 || !line)) {
      throw new Error(`backfill child failed (${code}):\n${output}`);
    }
    const seconds = line
      ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as { seconds: number }).seconds
      : (performance.now() - startedAt) / 1000;

    const { actions } = (await (
      await fetch(`${sandbox.url}/__sandbox/actions?partnerId=${partner.partnerId}`)
    ).json()) as { actions: SandboxAction[] };
    const orderIds = Array.from({ length: orders }, (_, index) => orderIdOf(index));
    const tally = tallyOrders(actions, orderIds);
    const rewarded = tally.actionsAtSir;
    return { orders, rewarded, seconds, ordersPerSecond: rewarded / seconds, tally };
  } finally {
    await sandbox.close();
    await database.drop();
  }
}

/** The Admin API's answer for past paid orders: the #1001 GraphQL fixture under new ids. */
function graphqlOrders(count: number) {
  const template = readFileSync(join(ROOT, "test/fixtures/shopify/graphql-order-usd.json"), "utf8");
  return Array.from({ length: count }, (_, index) => {
    const order = JSON.parse(template) as Record<string, unknown> & {
      customer: Record<string, unknown>;
    };
    order.id = `gid://shopify/Order/${orderIdOf(index)}`;
    order.name = `#${100_000 + index}`;
    order.customer.id = `gid://shopify/Customer/${orderIdOf(index)}`;
    return order;
  });
}

async function runChild() {
  const env = (name: string) => process.env[name] ?? "";
  const count = Number(env("BACKFILL_ORDERS"));
  const orders = graphqlOrders(count);

  // Before the app's Shopify module loads: its HTTP adapter keeps the fetch it finds on import.
  const { setupServer } = await import("msw/node");
  const { http, HttpResponse } = await import("msw");
  const adminApi = setupServer(
    http.post("https://:shop/admin/api/:version/graphql.json", async ({ request }) => {
      const { variables } = (await request.json()) as {
        variables: { first: number; after: string | null };
      };
      const start = variables.after ? Number(variables.after) : 0;
      const end = Math.min(start + variables.first, orders.length);
      return HttpResponse.json({
        data: {
          orders: {
            nodes: orders.slice(start, end),
            pageInfo: { hasNextPage: end < orders.length, endCursor: String(end) },
          },
        },
      });
    }),
  );
  adminApi.listen({ onUnhandledRequest: "bypass" });

  const { db, prepareDatabase } = await import("../app/db.server");
  const { saveConnection } = await import("../app/models/ProviderConnection.server");
  const { runBackfill } = await import("../app/services/backfill.server");
  await saveConnection({
    shopDomain: SHOP,
    environment: "sandbox",
    apiUrl: env("SIR_URL"),
    publicKey: env("SIR_PUBLIC_KEY"),
    secretKey: env("SIR_SECRET_KEY"),
    hmacSecret: env("SIR_HMAC_SECRET"),
  });
  await storeOfflineSession(db, SHOP, env("SCOPES"));

  // As the CLI's backfill command (and the worker thread) prepares its connection.
  await prepareDatabase(db, "background");
  console.log(STARTED_LINE);
  const startedAt = performance.now();
  const run = await runBackfill(SHOP, new Date("2026-01-01"));
  const seconds = (performance.now() - startedAt) / 1000;
  if (run?.status !== "done") throw new Error(`backfill ended ${JSON.stringify(run)}`);
  adminApi.close();
  await db.$disconnect();
  console.log(RESULT_PREFIX + JSON.stringify({ seconds, run }));
}

if (process.argv.includes("--child")) await runChild();
