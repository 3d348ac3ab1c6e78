import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { createDatabase } from "../../app/db.server";
import { runCli } from "../helpers/cli";

const db = createDatabase(process.env.DATABASE_URL);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
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
