import { config } from "../../config.server";
import { connectShop } from "../../services/connect-shop.server";
import { shopStatus, type ShopStatus } from "../../services/shop-status.server";
import { UsageError, parseOptions, requireValue, shopArg } from "../args";
import type { Command } from "../command";
import { readSecrets } from "../secrets";
import { SHOP_OPTION } from "./options";

export const shopConnect: Command = {
  name: "shop connect",
  summary:
    "check a shop's SIR keys with a signed call, store them encrypted, register SIR's webhook",
  options: {
    shop: SHOP_OPTION,
    environment: {
      type: "string",
      value: "sandbox|production",
      description: "which SIR the keys belong to",
      required: true,
    },
    "api-url": {
      type: "string",
      value: "<url>",
      description: "any SIR-compatible base URL instead (the local sandbox, a test double)",
    },
    "public-key": {
      type: "string",
      value: "<pk_…>",
      description: "the SIR public key, which is not a secret",
      required: true,
    },
    "secret-key": {
      type: "string",
      value: "-",
      description: "the SIR secret key: - reads it from standard input; default $SIR_SECRET_KEY",
    },
    "hmac-secret": {
      type: "string",
      value: "-",
      description: "the SIR HMAC secret: - reads it from standard input; default $SIR_HMAC_SECRET",
    },
    "app-url": {
      type: "string",
      value: "<url>",
      description: "where SIR sends its webhooks (default $SHOPIFY_APP_URL)",
    },
  },
  notes: [
    "Secrets never need to be on the command line (ps and shell history keep what is there;",
    "a secret given there still works, with a warning). With both as -, standard input gives",
    "one line each: the secret key first, then the HMAC secret. On a terminal, - prompts for",
    "each without echoing it.",
    "",
    "  SIR_SECRET_KEY=sk_… SIR_HMAC_SECRET=… npm run cli -- shop connect --shop s.myshopify.com \\",
    "    --environment sandbox --public-key pk_…",
    '  printf \'%s\\n%s\\n\' "$SK" "$HMAC" | npm run cli -- shop connect … --secret-key - --hmac-secret -',
  ],
  async run(args, { io, database }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const environment = requireValue(this, values, "environment");
    if (environment !== "sandbox" && environment !== "production") {
      throw new UsageError("--environment must be sandbox or production.", this);
    }
    const publicKey = requireValue(this, values, "public-key");
    if (!publicKey.startsWith("pk_"))
      throw new UsageError("--public-key must start with pk_.", this);
    const apiUrl = values["api-url"];
    if (typeof apiUrl === "string" && !/^https?:\/\/[^/]+/.test(apiUrl)) {
      throw new UsageError("--api-url must be an http(s) URL.", this);
    }
    const appUrl = (values["app-url"] as string | undefined) ?? config.shopifyAppUrl;
    if (!appUrl) {
      throw new UsageError("--app-url (or SHOPIFY_APP_URL) is needed for SIR's webhooks.", this);
    }
    const secrets = await readSecrets(
      this,
      values,
      [
        { option: "secret-key", env: "SIR_SECRET_KEY", label: "SIR secret key" },
        { option: "hmac-secret", env: "SIR_HMAC_SECRET", label: "SIR HMAC secret" },
      ],
      io,
    );
    if (!secrets["secret-key"].startsWith("sk_")) {
      throw new UsageError("--secret-key must start with sk_.", this);
    }

    const result = await connectShop(
      {
        shopDomain,
        environment,
        apiUrl: typeof apiUrl === "string" ? apiUrl : null,
        publicKey,
        secretKey: secrets["secret-key"],
        hmacSecret: secrets["hmac-secret"],
        appUrl,
      },
      database,
    );
    io.out(
      result.webhookRegistered
        ? `Connected ${shopDomain} to SIR (${environment}); SIR's webhook registered.`
        : `Connected ${shopDomain} to SIR (${environment}); webhook not registered: ${result.webhookError}`,
    );
  },
};

/** "45 s", "12 min", "3 h 5 min", "4 days". */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} days`;
}

const ago = (iso: string, now: Date) =>
  `${humanDuration((now.getTime() - Date.parse(iso)) / 1000)} ago`;

/** The report `shop status` prints without --json: one labelled line per fact. */
export function formatShopStatus(status: ShopStatus, now: Date): string {
  const at = (iso: string) => `${iso} (${ago(iso, now)})`;
  const since = (iso: string) => `since ${iso}, ${ago(iso, now)}`;
  const { connection, pool, sending, backlog } = status;
  const lines: Array<[string, string]> = [];
  lines.push([
    "Shop",
    `${status.shop}: ${
      !status.installed
        ? "no installation recorded"
        : status.installed.uninstalledAt
          ? `uninstalled ${status.installed.uninstalledAt}`
          : `installed ${status.installed.installedAt}`
    }`,
  ]);
  lines.push([
    "Connection",
    connection.connected
      ? `connected to ${connection.provider} (${connection.environment}) at ${connection.apiHost}; webhook ${connection.webhookRegistered ? "registered" : "not registered"}`
      : "not connected (run shop connect)",
  ]);
  const checked = pool.checkedAt ? `; last checked ${at(pool.checkedAt)}` : "";
  lines.push([
    "Pool",
    pool.state === "empty"
      ? `empty since ${at(pool.emptySince!)}${checked}`
      : pool.state === "low"
        ? `low (SIR warned ${at(pool.lowWarningAt!)})${checked}`
        : pool.state === "ok"
          ? `ok${checked}`
          : "unknown (not connected)",
  ]);
  lines.push(["Rewards", status.paused.paused ? `paused: ${status.paused.reason}` : "running"]);
  lines.push([
    "Sending",
    sending.mode === "bulk"
      ? "bulk"
      : `one by one: SIR's bulk endpoint is unavailable (${since(sending.bulkUnavailableSince!)})` +
        (sending.nextProbeAfter ? `; tried again after ${sending.nextProbeAfter}` : ""),
  ]);
  const oldest =
    backlog.oldestDueSeconds === null
      ? "nothing due"
      : `oldest due ${humanDuration(backlog.oldestDueSeconds)} ago`;
  lines.push([
    "Backlog",
    `${backlog.inboxPending} inbox events not done (${backlog.inboxFailed} given up), ` +
      `${backlog.rewardsOwingWork} rewards owing work, ${backlog.rewardsParked} parked; ${oldest}`,
  ]);
  lines.push([
    "Last error",
    status.lastError
      ? `${status.lastError.orderName} (order ${status.lastError.orderId}), ${at(status.lastError.at)}: ${status.lastError.message ?? "no message"}`
      : "none",
  ]);
  const run = status.backfill;
  lines.push([
    "Backfill",
    run
      ? `${run.status} (since ${run.since}, started ${run.startedAt}): ${run.ordersSeen} orders seen, ${run.rewarded} rewarded, ${run.failed} failed${run.lastError ? `; ${run.lastError}` : ""}`
      : "never run",
  ]);
  return lines.map(([label, text]) => `${`${label}:`.padEnd(12)}${text}`).join("\n");
}

export const shopStatusCommand: Command = {
  name: "shop status",
  summary: "a shop's connection, pool, pause, sending mode, backlog and last error (read-only)",
  options: {
    shop: SHOP_OPTION,
    json: { type: "boolean", description: "print one JSON object instead of the report" },
  },
  async run(args, { io, database }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const now = io.now();
    const status = await shopStatus(shopDomain, now, database);
    io.out(values.json ? JSON.stringify(status, null, 2) : formatShopStatus(status, now));
  },
};
