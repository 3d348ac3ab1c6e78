import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { createDatabase } from "../../app/db.server";
import { runCli } from "../helpers/cli";
import { TEST_APP_ENV } from "../helpers/app-env";
import { sandboxBehaviourFromEnv } from "../helpers/pipeline";

const db = createDatabase(process.env.DATABASE_URL);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, behaviour: sandboxBehaviourFromEnv() });
});
afterAll(async () => {
  await sandbox.close();
  await db.$disconnect();
});

const SHOP = "cli-args.myshopify.com";
const connectArgs = (overrides: Record<string, string | null> = {}) => {
  const values: Record<string, string | null> = {
    shop: SHOP,
    environment: "sandbox",
    "api-url": "http://127.0.0.1:9",
    "public-key": "pk_test_abc",
    "secret-key": "sk_test_abc",
    "hmac-secret": "secret",
    "app-url": "http://127.0.0.1:3000",
    ...overrides,
  };
  return [
    "shop",
    "connect",
    ...Object.entries(values).flatMap(([key, value]) =>
      value === null ? [] : [`--${key}`, value],
    ),
  ];
};

describe("operator CLI", () => {
  it("refuses bad arguments with a sentence and exit code 2, changing nothing", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["rewards", "list", "--json"], /--shop is required/],
      [["rewards", "list", "--shop", "not a domain", "--json"], /myshopify\.com/],
      [
        ["rewards", "list", "--shop", SHOP, "--status", "lost", "--json"],
        /--status must be one of/,
      ],
      [["rewards", "retry", "--shop", SHOP, "--order", "#1001"], /numeric Shopify order id/],
      [["rewards", "list", "--shop", SHOP, "--nope"], /Unknown option/],
      [["backfill", "--shop", SHOP, "--since", "yesterday"], /--since must be a date/],
      [["backfill", "--shop", SHOP, "--since", "2026-02-31"], /--since must be a date that exists/],
      [["backfill", "--shop", SHOP, "--since", "2026-13-01"], /--since must be a date that exists/],
      [["backfill", "--shop", SHOP, "--since", "2999-01-01"], /must not be in the future/],
      [["rewrds", "list"], /Unknown command "rewrds"\. Did you mean "rewards"\?/],
      [
        ["rewards", "list", "--shp", SHOP],
        /Unknown option "--shp" for rewards list\. Did you mean "--shop"\?/,
      ],
      [["frobnicate", "now"], /Unknown command/],
      [connectArgs({ environment: "staging" }), /--environment must be sandbox or production/],
      [connectArgs({ "secret-key": "pk_test_wrong" }), /--secret-key must start with sk_/],
      [connectArgs({ "hmac-secret": null }), /--hmac-secret is required/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i][0].join(" ")).toBe(2);
      expect(result.stderr).toMatch(cases[i][1]);
      expect(result.stderr).toContain("usage:");
    });
    expect(await db.providerConnection.count({ where: { shopDomain: SHOP } })).toBe(0);
  }, 60_000);

  it("refuses credentials SIR rejects, saving nothing and never echoing the secret", async () => {
    const partner = (await (
      await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
    ).json()) as Record<string, string>;
    const result = await runCli(
      connectArgs({
        "api-url": sandbox.url,
        "public-key": partner.publicKey,
        "secret-key": partner.secretKey,
        "hmac-secret": "wrong-hmac-secret",
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not accept these credentials/);
    // Given on the command line, the secrets still work, with a warning (and no echo).
    expect(result.stderr).toContain("Warning: --secret-key was given on the command line");
    expect(result.stderr).toContain("Warning: --hmac-secret was given on the command line");
    expect(result.stdout + result.stderr).not.toContain(partner.secretKey);
    expect(await db.providerConnection.count({ where: { shopDomain: SHOP } })).toBe(0);
  });

  it("lists an empty ledger as an empty JSON array", async () => {
    const result = await runCli([
      "rewards",
      "list",
      "--shop",
      "empty-ledger.myshopify.com",
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

const ROOT = join(import.meta.dirname, "..", "..");

async function newPartner() {
  return (await (
    await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
  ).json()) as Record<string, string>;
}

// shop connect without secrets on the command line: they come from stdin or the environment.
const connectWithout = (shop: string, publicKey: string, extra: string[] = []) => [
  "shop",
  "connect",
  "--shop",
  shop,
  "--environment",
  "sandbox",
  "--api-url",
  sandbox.url,
  "--public-key",
  publicKey,
  "--app-url",
  "http://127.0.0.1:3000",
  ...extra,
];

describe("operator CLI help", () => {
  it("`npm run cli -- --help` lists the commands and exits 0", async () => {
    const child = spawn("npm", ["run", "--silent", "cli", "--", "--help"], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_APP_ENV },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    for (const name of ["shop connect", "shop status", "rewards list", "rewards retry"]) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toContain("data-requests list");
    expect(stdout).toContain("backfill");
  }, 60_000);

  it("each command's --help explains its options and exits 0", async () => {
    const commands = [
      ["shop", "connect"],
      ["shop", "status"],
      ["rewards", "list"],
      ["rewards", "retry"],
      ["data-requests", "list"],
      ["backfill"],
    ];
    const results = await Promise.all(commands.map((words) => runCli([...words, "--help"])));
    results.forEach((result, i) => {
      expect(result.code, commands[i].join(" ")).toBe(0);
      expect(result.stdout).toContain(`usage: npm run cli -- ${commands[i].join(" ")}`);
      expect(result.stdout).toMatch(/^ {2}--shop <domain> +the shop/m);
    });
    const help = await runCli(["help", "backfill"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--since <YYYY-MM-DD> +the first day of orders to reward/);
  }, 90_000);
});

describe("operator CLI secrets", () => {
  it("connects with both secrets read from standard input, one line each", async () => {
    const partner = await newPartner();
    const shop = "cli-stdin.myshopify.com";
    const result = await runCli(
      connectWithout(shop, partner.publicKey, ["--hmac-secret", "-", "--secret-key", "-"]),
      {},
      `${partner.secretKey}\n${partner.hmacSecret}\n`,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Connected ${shop} to SIR (sandbox)`);
    expect(result.stdout).not.toContain(partner.secretKey);
    expect(await db.providerConnection.count({ where: { shopDomain: shop } })).toBe(1);
  });

  it("connects with the secrets from SIR_SECRET_KEY and SIR_HMAC_SECRET", async () => {
    const partner = await newPartner();
    const shop = "cli-env.myshopify.com";
    const result = await runCli(connectWithout(shop, partner.publicKey), {
      SIR_SECRET_KEY: partner.secretKey,
      SIR_HMAC_SECRET: partner.hmacSecret,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await db.providerConnection.count({ where: { shopDomain: shop } })).toBe(1);
  });

  it("refuses a missing line on standard input, exit 2, saving nothing", async () => {
    const partner = await newPartner();
    const shop = "cli-stdin-short.myshopify.com";
    const result = await runCli(
      connectWithout(shop, partner.publicKey, ["--secret-key", "-", "--hmac-secret", "-"]),
      {},
      `${partner.secretKey}\n`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 2 of standard input");
    expect(result.stderr).not.toContain(partner.secretKey);
    expect(await db.providerConnection.count({ where: { shopDomain: shop } })).toBe(0);
  });
});

describe("operator CLI shop status", () => {
  it("shows connection, pool, pause, sending mode, backlog and last error, as text and JSON", async () => {
    const partner = await newPartner();
    const shop = "cli-status.myshopify.com";
    const connected = await runCli(connectWithout(shop, partner.publicKey), {
      SIR_SECRET_KEY: partner.secretKey,
      SIR_HMAC_SECRET: partner.hmacSecret,
    });
    expect(connected.code, connected.stderr).toBe(0);

    const now = Date.now();
    const emptySince = new Date(now - 30 * 60_000);
    const bulkSince = new Date(now - 10 * 60_000);
    await db.providerConnection.update({
      where: { shopDomain: shop },
      data: {
        poolEmptySince: emptySince,
        poolCheckedAt: new Date(now - 60_000),
        bulkUnavailableSince: bulkSince,
      },
    });
    await db.webhookEvent.create({
      data: {
        source: "shopify",
        shopDomain: shop,
        topic: "orders/paid",
        eventKey: "status-1",
        payload: "{}",
        nextAttemptAt: new Date(now - 5 * 60_000),
      },
    });
    const reward = (orderId: string, data: Record<string, unknown>) =>
      db.reward.create({
        data: {
          shopDomain: shop,
          orderId,
          orderName: `#${orderId}`,
          currency: "USD",
          basisMinor: 1000n,
          amount: "10.00",
          status: "pending",
          idempotencyKey: `shopify:${shop}:order:${orderId}`,
          ...data,
        },
      });
    await reward("2001", { workPending: true, nextAttemptAt: new Date(now - 2 * 60_000) });
    await reward("2002", { status: "parked", workPending: false });
    await reward("2003", {
      status: "failed",
      workPending: false,
      lastError: "SIR refused the purchase: the customer's email is not valid.",
    });

    const text = await runCli(["shop", "status", "--shop", shop]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Shop:       ${shop}: no installation recorded`);
    expect(text.stdout).toMatch(
      /^Connection: connected to sir \(sandbox\) at 127\.0\.0\.1:\d+; webhook registered$/m,
    );
    // The CLI takes seconds to start on a busy machine: "30 min ago" may have become 31.
    expect(text.stdout).toContain(`Pool:       empty since ${emptySince.toISOString()} (3`);
    expect(text.stdout).toMatch(/^Pool: .* \((30|31) min ago\); last checked /m);
    expect(text.stdout).toContain("Rewards:    paused: SIR's token pool is empty");
    expect(text.stdout).toContain(
      `Sending:    one by one: SIR's bulk endpoint is unavailable (since ${bulkSince.toISOString()}`,
    );
    expect(text.stdout).toMatch(
      /^Backlog: {4}1 inbox events not done \(0 given up\), 1 rewards owing work, 1 parked; oldest due [56] min ago$/m,
    );
    expect(text.stdout).toMatch(
      /^Last error: #2003 \(order 2003\), .*: SIR refused the purchase: the customer's email is not valid\.$/m,
    );
    expect(text.stdout).toContain("Backfill:   never run");
    expect(text.stdout + text.stderr).not.toContain(partner.secretKey);

    const json = await runCli(["shop", "status", "--shop", shop, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status).toMatchObject({
      shop,
      connection: {
        connected: true,
        provider: "sir",
        environment: "sandbox",
        webhookRegistered: true,
      },
      pool: { state: "empty", emptySince: emptySince.toISOString() },
      paused: { paused: true },
      sending: {
        mode: "one by one",
        bulkUnavailableSince: bulkSince.toISOString(),
        // Tried again an hour after it was found unavailable (never checked since).
        nextProbeAfter: new Date(bulkSince.getTime() + 60 * 60_000).toISOString(),
      },
      backlog: { inboxPending: 1, inboxFailed: 0, rewardsOwingWork: 1, rewardsParked: 1 },
      lastError: { orderId: "2003", message: expect.stringContaining("not valid") },
      backfill: null,
    });
    expect(status.backlog.oldestDueSeconds).toBeGreaterThanOrEqual(300);
    expect(json.stdout).not.toContain(partner.secretKey);
    expect(json.stdout).not.toMatch(/secretKeyEnc|hmacSecret/);
  }, 60_000);

  it("reports a shop that was never connected, read-only", async () => {
    const result = await runCli(["shop", "status", "--shop", "cli-nobody.myshopify.com"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Connection: not connected (run shop connect)");
    expect(result.stdout).toContain("Sending:    bulk");
    expect(result.stdout).toContain("Last error: none");
    expect(
      await db.providerConnection.count({ where: { shopDomain: "cli-nobody.myshopify.com" } }),
    ).toBe(0);
  });
});
