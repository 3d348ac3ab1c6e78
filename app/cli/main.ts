import { parseArgs } from "node:util";
import { db, prepareDatabase } from "../db.server";
import { config } from "../config.server";
import { isShopDomain } from "../webhooks/request-guards.server";
import { ConnectionError, connectShop } from "../services/connect-shop.server";
import { listRewards, retryFailedRewards, REWARD_STATUSES } from "../models/Reward.server";
import { rewardForDisplay } from "../rewards/reward-view";

// The operator CLI. Every command validates all its arguments before it
// touches anything: bad arguments print a sentence and exit 2.
const USAGE = `usage:
  npm run cli -- shop connect --shop <domain> --environment sandbox|production [--api-url <url>] --public-key <pk> --secret-key <sk> --hmac-secret <secret> [--app-url <url>]
  npm run cli -- rewards list --shop <domain> [--status <status>] --json
  npm run cli -- rewards retry --shop <domain> [--order <orderId>]
  npm run cli -- data-requests list --shop <domain>
  npm run cli -- backfill --shop <domain> --since <YYYY-MM-DD>`;

class UsageError extends Error {}

function require_(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required.`);
  return value;
}

function shopArg(values: Record<string, string | boolean | undefined>): string {
  const shop = require_(values, "shop");
  if (!isShopDomain(shop)) {
    throw new UsageError(`--shop must be a *.myshopify.com domain, not "${shop}".`);
  }
  return shop;
}

function parse(args: string[], options: Record<string, { type: "string" | "boolean" }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function shopConnect(args: string[]) {
  const values = parse(args, {
    shop: { type: "string" },
    environment: { type: "string" },
    "api-url": { type: "string" },
    "public-key": { type: "string" },
    "secret-key": { type: "string" },
    "hmac-secret": { type: "string" },
    "app-url": { type: "string" },
  });
  const shopDomain = shopArg(values);
  const environment = require_(values, "environment");
  if (environment !== "sandbox" && environment !== "production") {
    throw new UsageError("--environment must be sandbox or production.");
  }
  const publicKey = require_(values, "public-key");
  const secretKey = require_(values, "secret-key");
  const hmacSecret = require_(values, "hmac-secret");
  if (!publicKey.startsWith("pk_")) throw new UsageError("--public-key must start with pk_.");
  if (!secretKey.startsWith("sk_")) throw new UsageError("--secret-key must start with sk_.");
  const apiUrl = values["api-url"];
  if (typeof apiUrl === "string" && !/^https?:\/\/[^/]+/.test(apiUrl)) {
    throw new UsageError("--api-url must be an http(s) URL.");
  }
  const appUrl = (values["app-url"] as string | undefined) ?? config.shopifyAppUrl;
  if (!appUrl) throw new UsageError("--app-url (or SHOPIFY_APP_URL) is needed for SIR's webhooks.");

  const result = await connectShop({
    shopDomain,
    environment,
    apiUrl: typeof apiUrl === "string" ? apiUrl : null,
    publicKey,
    secretKey,
    hmacSecret,
    appUrl,
  });
  console.log(
    result.webhookRegistered
      ? `Connected ${shopDomain} to SIR (${environment}); SIR's webhook registered.`
      : `Connected ${shopDomain} to SIR (${environment}); webhook not registered: ${result.webhookError}`,
  );
}

async function rewardsList(args: string[]) {
  const values = parse(args, {
    shop: { type: "string" },
    status: { type: "string" },
    json: { type: "boolean" },
  });
  const shopDomain = shopArg(values);
  const status = values.status as string | undefined;
  if (status && !(REWARD_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${REWARD_STATUSES.join(", ")}.`);
  }
  const rows = (await listRewards(shopDomain, { status })).map(rewardForDisplay);
  if (values.json) {
    console.log(JSON.stringify(rows));
    return;
  }
  for (const row of rows) {
    console.log(
      [
        row.orderName,
        row.status,
        `${row.amount} ${row.currency}`,
        `+${row.tokensDistributed ?? 0}`,
        `-${row.tokensReversed}`,
        row.lastError ?? "",
      ].join("\t"),
    );
  }
}

async function rewardsRetry(args: string[]) {
  const values = parse(args, { shop: { type: "string" }, order: { type: "string" } });
  const shopDomain = shopArg(values);
  const order = values.order as string | undefined;
  if (order !== undefined && !/^\d+$/.test(order)) {
    throw new UsageError("--order must be a numeric Shopify order id.");
  }
  const count = await retryFailedRewards(shopDomain, order ?? null);
  console.log(`${count} failed ${count === 1 ? "entry" : "entries"} queued again.`);
}

async function dataRequestsList(args: string[]) {
  const values = parse(args, { shop: { type: "string" } });
  const shopDomain = shopArg(values);
  const requests = await db.customerDataRequest.findMany({
    where: { shopDomain },
    orderBy: { createdAt: "asc" },
  });
  console.log(
    JSON.stringify(
      requests.map((request) => ({ ...request, data: JSON.parse(request.data) as unknown })),
      null,
      2,
    ),
  );
}

async function backfill(args: string[]) {
  const values = parse(args, { shop: { type: "string" }, since: { type: "string" } });
  const shopDomain = shopArg(values);
  const since = require_(values, "since");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(since))) {
    throw new UsageError("--since must be a date like 2026-01-31.");
  }
  const { runBackfill } = await import("../services/backfill.server");
  await prepareDatabase(db, "background");
  const summary = await runBackfill(shopDomain, new Date(`${since}T00:00:00Z`));
  console.log(JSON.stringify(summary));
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  "shop connect": shopConnect,
  "rewards list": rewardsList,
  "rewards retry": rewardsRetry,
  "data-requests list": dataRequestsList,
};

async function main(argv: string[]) {
  if (argv[0] === "backfill") return backfill(argv.slice(1));
  const command = COMMANDS[`${argv[0]} ${argv[1]}`];
  if (!command) throw new UsageError(`Unknown command "${argv.slice(0, 2).join(" ")}".`);
  return command(argv.slice(2));
}

main(process.argv.slice(2))
  .then(() => db.$disconnect())
  .catch(async (error) => {
    await db.$disconnect();
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(
      error instanceof ConnectionError ? error.message : `Error: ${(error as Error).message}`,
    );
    process.exit(1);
  });
