// The main job end to end on the embedded defaults: SQLite + the SIR sandbox.
// Migrates a fresh demo database, starts the sandbox and the app (the
// production build, as its own process), connects a demo shop with the
// operator CLI, then delivers signed Shopify webhooks over HTTP — a paid
// order, a 30 % refund, the remaining 70 % — printing the ledger as it moves.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startSandbox } from "../test/sir-sandbox/server";
import { startAppServer } from "../test/helpers/app-server";
import { deliverShopifyWebhook } from "../test/helpers/shopify-webhooks";
import { shopifyFixture } from "../test/fixtures/shopify";
import { createDatabase } from "../app/db.server";
import { parsePrometheusText } from "../app/metrics/prometheus-text";

const ROOT = join(import.meta.dirname, "..");
const DEMO_DB = join(ROOT, "prisma", "demo.sqlite");
const SHOP = "demo-shop.myshopify.com";
const ORDER_ID = "8817694701178518903";
const CUSTOMER_ID = "8938371904392340610";
const env = {
  DATABASE_URL: `file:${DEMO_DB}`,
  // A fresh key per demo run: nothing of the demo outlives it.
  ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  // The sandbox runs on this machine: the operator allows the app to call it.
  PROVIDER_ALLOWED_HOSTS: "127.0.0.1",
  LOG_LEVEL: "warn",
  // /metrics answers only with this bearer token (the demo's own, like its key).
  METRICS_TOKEN: randomBytes(16).toString("hex"),
};

const say = (line: string) => console.log(`\n▶ ${line}`);

function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env, ...extraEnv },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
}

function cli(args: string[], extraEnv: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...extraEnv },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`cli ${args[0]} failed`)),
    ),
  );
}

// The demo's counts as Prometheus scrapes them, once the worker has applied everything (SIR's
// webhooks for the action and reversals included).
const DEMO_METRICS =
  /^sir_rewards_(webhook_acks_total|rewards\{|provider_calls_total|provider_bulk_items_total|retries_scheduled_total|inbox_backlog|inbox_oldest_due_age_seconds|shops_paused|metrics_thread_up|heap_bytes\{kind="used"|event_loop_delay_seconds\{quantile="0.99")/;

async function showMetrics(appUrl: string) {
  const scrapeOnce = async () => {
    const response = await fetch(`${appUrl}/metrics`, {
      headers: { Authorization: `Bearer ${env.METRICS_TOKEN}` },
    });
    return { status: response.status, text: await response.text() };
  };
  let scraped = await scrapeOnce();
  for (let tries = 0; tries < 100; tries++) {
    const { samples } = parsePrometheusText(scraped.text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find(
        (sample) =>
          sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v),
      )?.value;
    if (
      value("sir_rewards_inbox_backlog") === 0 &&
      value("sir_rewards_metrics_thread_up", { thread: "worker" }) === 1
    ) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    scraped = await scrapeOnce();
  }
  say(
    `Metrics: curl -H "Authorization: Bearer $METRICS_TOKEN" ${appUrl}/metrics (the demo's lines)`,
  );
  const unauthorized = await fetch(`${appUrl}/metrics`);
  console.log(`  without the token → ${unauthorized.status}; with it → ${scraped.status}`);
  for (const line of scraped.text.split("\n"))
    if (DEMO_METRICS.test(line)) console.log(`  ${line}`);
}

async function main() {
  say("Fresh SQLite database (prisma/demo.sqlite), migrated");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${DEMO_DB}${suffix}`, { force: true });
  run(process.execPath, ["scripts/db.mjs", "migrate"]);

  say("SIR sandbox and the app server");
  const sandbox = await startSandbox({ port: 0, webhookRetryDelaysMs: [200, 1000] });
  const app = await startAppServer({ databaseUrl: env.DATABASE_URL, env });
  console.log(`  SIR sandbox  ${sandbox.url}\n  app          ${app.url}`);
  const ready = await (await fetch(`${app.url}/readyz`)).json();
  console.log(`  /readyz      ${JSON.stringify(ready)}`);
  const db = createDatabase(env.DATABASE_URL);

  try {
    say("A SIR partner account (sandbox control API), connected with the operator CLI");
    const partner = (await (
      await fetch(`${sandbox.url}/__sandbox/partners`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "Demo Outfitters", poolBalance: 100_000 }),
      })
    ).json()) as Record<string, string>;
    const connected = await cli(
      [
        "shop",
        "connect",
        "--shop",
        SHOP,
        "--environment",
        "sandbox",
        "--api-url",
        sandbox.url,
        "--public-key",
        partner.publicKey,
        "--app-url",
        app.url,
      ],
      // Secrets through the environment: the command line is visible in ps and shell history.
      { SIR_SECRET_KEY: partner.secretKey, SIR_HMAC_SECRET: partner.hmacSecret },
    );
    console.log(`  ${connected.trim()}`);

    let last = "";
    const showLedger = async () => {
      const reward = await db.reward.findUnique({
        where: { shopDomain_orderId: { shopDomain: SHOP, orderId: ORDER_ID } },
      });
      if (!reward) return null;
      const line =
        `  ${reward.orderName}  ${reward.amount} ${reward.currency}  status=${reward.status}` +
        `  action=${reward.actionId ?? "—"}  tokens=+${reward.tokensDistributed ?? 0}` +
        ` −${reward.tokensReversed}  reversed=${reward.reversedPercent} %  debt=${reward.debt}`;
      if (line !== last) console.log(line);
      last = line;
      return reward;
    };
    const until = async (done: (status: string) => boolean) => {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const reward = await showLedger();
        if (reward && done(reward.status)) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error("the ledger did not reach the expected state in time");
    };
    const deliver = async (topic: string, fixture: Parameters<typeof shopifyFixture>[0]) => {
      const response = await deliverShopifyWebhook(app.url, {
        topic,
        shop: SHOP,
        body: shopifyFixture(fixture),
      });
      console.log(`  POST /webhooks/${topic} (signed, ${fixture}) → ${response.status}`);
    };

    say("orders/paid: #1001, 118.80 USD paid; earns on 100.00 (shipping and tax excluded)");
    await deliver("orders/paid", "orders-paid-usd");
    await until((status) => status === "rewarded");

    say("refunds/create: the three tees come back (30 % of the rewarded amount)");
    await deliver("refunds/create", "refunds-create-partial-30");
    await until((status) => status === "partially_reversed");

    say("Meanwhile the customer spends 60 of the 70 tokens they still hold (sandbox control API)");
    await fetch(`${sandbox.url}/__sandbox/users/${CUSTOMER_ID}/spend`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ partnerId: partner.partnerId, tokens: 60 }),
    });

    say("refunds/create: the bag and shipping come back (the remaining 70 %)");
    await deliver("refunds/create", "refunds-create-rest-70");
    await until((status) => status === "reversed");

    say("The ledger (npm run cli -- rewards list --shop demo-shop.myshopify.com --json)");
    console.log(await cli(["rewards", "list", "--shop", SHOP, "--json"], {}));
    const timeline = await db.rewardEvent.findMany({
      where: { reward: { shopDomain: SHOP } },
      orderBy: { createdAt: "asc" },
    });
    say("Timeline");
    for (const event of timeline)
      console.log(`  ${event.createdAt.toISOString()}  ${event.message}`);
    await showMetrics(app.url);
    console.log("\n✔ demo complete");
  } finally {
    await db.$disconnect();
    await app.stop();
    await sandbox.close();
  }
}

main().catch((error) => {
  console.error(`\n✖ demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
