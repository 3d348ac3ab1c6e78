import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { shopifyFixture } from "../../test/fixtures/shopify";
import { createDatabase } from "../db.server";
import { saveConnection } from "../models/ProviderConnection.server";
import { providerForShop } from "../providers/provider-for-shop.server";
import { parseJsonLossless } from "../rewards/calculation/lossless-json";
import type { OrderPageSource } from "../services/backfill/admin-order-pages.server";
import { closest, editDistance } from "./args";
import type { CliContext } from "./command";
import type { CliIo } from "./io";
import { COMMANDS, runCli } from "./run";

// The CLI in this process, on the test database: what it prints and its exit code.
const db = createDatabase(process.env.DATABASE_URL);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await db.$disconnect();
});

const NOW = new Date("2026-06-15T12:00:00Z");

type Run = { code: number; stdout: string; stderr: string };

async function cli(
  argv: string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    tty?: boolean;
    now?: Date;
    backfill?: CliContext["backfill"];
  } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    out: (text) => (stdout += `${text}\n`),
    err: (text) => (stderr += `${text}\n`),
    errRaw: (text) => (stderr += text),
    errIsTTY: options.tty ?? false,
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? {},
    now: () => options.now ?? new Date(),
  };
  const code = await runCli(argv, { io, database: db, backfill: options.backfill });
  return { code, stdout, stderr };
}

describe("CLI help", () => {
  it("lists every command at the top level, exit 0", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const result = await cli(argv);
      expect(result.code, argv.join(" ")).toBe(0);
      for (const command of COMMANDS) expect(result.stdout).toContain(command.name);
    }
  });

  it("lists a group's commands on help <group> and <group> --help, exit 0", async () => {
    for (const argv of [
      ["help", "shop"],
      ["shop", "--help"],
    ]) {
      const result = await cli(argv);
      expect(result.code, argv.join(" ")).toBe(0);
      expect(result.stdout).toContain("shop connect");
      expect(result.stdout).toContain("shop status");
      expect(result.stdout).not.toContain("rewards list");
    }
  });

  it("explains each command's options on --help, -h and help <command>, exit 0", async () => {
    for (const command of COMMANDS) {
      const words = command.name.split(" ");
      for (const argv of [
        [...words, "--help"],
        [...words, "-h"],
        ["help", ...words],
        [...words, "--shop", "x", "--help"],
      ]) {
        const result = await cli(argv);
        expect(result.code, argv.join(" ")).toBe(0);
        expect(result.stdout).toContain(`usage: npm run cli -- ${command.name}`);
        for (const option of Object.keys(command.options)) {
          expect(result.stdout).toMatch(new RegExp(`^  --${option}\\b.*\\S`, "m"));
        }
      }
    }
  });

  it("suggests the command or option meant, exit 2", async () => {
    const cases: Array<[string[], string]> = [
      [["rewrds", "list"], 'Unknown command "rewrds". Did you mean "rewards"?'],
      [["rewards", "lsit"], 'Unknown command "rewards lsit". Did you mean "rewards list"?'],
      [["backfil"], 'Did you mean "backfill"?'],
      [["shop", "stauts"], 'Did you mean "shop status"?'],
      [["help", "rewrds"], 'Did you mean "rewards"?'],
      [["rewards", "list", "--shp", "a.myshopify.com"], 'Did you mean "--shop"?'],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("usage:");
    }
    const far = await cli(["frobnicate", "now"]);
    expect(far.stderr).toContain('Unknown command "frobnicate".\n');
  });

  it("measures edit distance with transpositions", () => {
    expect(editDistance("rewrds", "rewards")).toBe(1);
    expect(editDistance("lsit", "list")).toBe(1);
    expect(closest("xyz", ["rewards", "shop"])).toBeNull();
  });
});

describe("CLI dates", () => {
  it("refuses --since that is not a calendar date or is in the future, exit 2", async () => {
    for (const since of ["2026-02-31", "2026-13-01", "2023-02-29", "26-01-01", "2026-1-1"]) {
      const result = await cli(["backfill", "--shop", "dates.myshopify.com", "--since", since], {
        now: NOW,
      });
      expect(result.code, since).toBe(2);
      expect(result.stderr).toContain(`--since must be a date that exists`);
      expect(result.stderr).toContain(`"${since}"`);
    }
    const future = await cli(
      ["backfill", "--shop", "dates.myshopify.com", "--since", "2026-06-16"],
      { now: NOW },
    );
    expect(future.code).toBe(2);
    expect(future.stderr).toContain("must not be in the future");
  });

  it("accepts a leap day and today (and then needs the shop's offline session)", async () => {
    for (const since of ["2024-02-29", "2026-06-15"]) {
      const result = await cli(["backfill", "--shop", "dates.myshopify.com", "--since", since], {
        now: NOW,
      });
      expect(result.code, since).toBe(1);
      expect(result.stderr).toContain("dates.myshopify.com has no offline session");
    }
  });
});

describe("CLI secrets", () => {
  // Stops before connecting: --public-key is checked first, so this shows how each
  // secret was read without calling SIR (the e2e suite connects for real).
  const connect = (extra: string[]) => [
    "shop",
    "connect",
    "--shop",
    "secrets.myshopify.com",
    "--environment",
    "sandbox",
    "--api-url",
    "http://127.0.0.1:9",
    "--public-key",
    "pk_test_abc",
    ...extra,
  ];

  it("requires each secret from somewhere, naming the environment variable and -", async () => {
    const result = await cli(connect([]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--secret-key is required: set SIR_SECRET_KEY, or pass "--secret-key -" to read it from standard input.',
    );
  });

  it("reads both from standard input, one line each, secret key first", async () => {
    const result = await cli(connect(["--hmac-secret", "-", "--secret-key", "-"]), {
      stdin: "pk_wrong_first_line\nhmac\n",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--secret-key must start with sk_");
    expect(result.stderr).not.toContain("pk_wrong_first_line");
  });

  it("refuses - when standard input has no line for it", async () => {
    const result = await cli(connect(["--secret-key", "-", "--hmac-secret", "-"]), {
      stdin: "sk_test_only_one\n",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("reads the SIR HMAC secret from line 2 of standard input");
    expect(result.stderr).not.toContain("sk_test_only_one");
  });

  it("warns when a secret is on the command line, without echoing it", async () => {
    const result = await cli(connect(["--secret-key", "pk_oops_literal"]), {
      env: { SIR_HMAC_SECRET: "from-env" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "Warning: --secret-key was given on the command line, where ps and your shell history keep it.",
    );
    expect(result.stderr).not.toContain("pk_oops_literal");
    expect(result.stderr).not.toContain("from-env");
  });
});

function fakeAdminPages(total: number): OrderPageSource {
  const orders = Array.from(
    { length: total },
    (_, i) =>
      parseJsonLossless(shopifyFixture("orders-paid-usd", { idOffset: 5000 + i })) as Record<
        string,
        unknown
      >,
  );
  return {
    async fetchPage(_shop, _since, cursor) {
      const start = cursor ? Number(cursor) : 0;
      const next = start + 100;
      return {
        orders: orders.slice(start, next),
        nextCursor: next < orders.length ? String(next) : null,
      };
    },
  };
}

async function installedShop(scope: string) {
  const shop = `cli-backfill-${randomUUID().slice(0, 8)}.myshopify.com`;
  const partner = (await (
    await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
  ).json()) as Record<string, string>;
  await saveConnection(
    {
      shopDomain: shop,
      environment: "sandbox",
      apiUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    },
    db,
  );
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope, accessToken: "x" },
  });
  return shop;
}

const backfillFakes = (total: number | null) => ({
  pages: fakeAdminPages(250),
  providerFor: (shop: string) => providerForShop(shop, db),
  productTags: { tagsFor: async () => new Map() },
  countOrders: async () => total,
});

describe("CLI backfill", () => {
  it("warns before Shopify's 60-day limit and prints a progress line per page", async () => {
    const shop = await installedShop("read_orders,read_customers,read_products");
    const result = await cli(["backfill", "--shop", shop, "--since", "2026-01-01"], {
      backfill: backfillFakes(250),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "Warning: 2026-01-01 is more than 60 days ago, and the app's access to this shop lacks read_all_orders: Shopify returns only the last 60 days of orders",
    );
    expect(result.stderr).toContain("request read_all_orders for the app");
    const lines = result.stderr.split("\n").filter((line) => line.startsWith("backfill:"));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^backfill: 100\/250 orders \(40%\), \d+\.\d orders\/s/);
    expect(lines[1]).toMatch(/^backfill: 200\/250 orders \(80%\), /);
    expect(lines[2]).toMatch(/^backfill: 250\/250 orders \(100%\), /);
    expect(result.stderr).not.toContain("\r");
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "done", ordersSeen: 250 });
  });

  it("does not warn with read_all_orders or a recent date; without a total shows done and rate", async () => {
    const shop = await installedShop("read_orders,read_all_orders");
    const result = await cli(["backfill", "--shop", shop, "--since", "2025-01-01"], {
      backfill: backfillFakes(null),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("Warning");
    expect(result.stderr).toMatch(/^backfill: 100 orders, \d+\.\d orders\/s$/m);

    const recent = await installedShop("read_orders");
    const today = new Date().toISOString().slice(0, 10);
    const second = await cli(["backfill", "--shop", recent, "--since", today], {
      backfill: backfillFakes(250),
    });
    expect(second.stderr).not.toContain("Warning");
  });

  it("draws one bar redrawn in place on a terminal", async () => {
    const shop = await installedShop("read_orders,read_all_orders");
    const result = await cli(["backfill", "--shop", shop, "--since", "2026-01-01"], {
      tty: true,
      backfill: backfillFakes(250),
    });
    expect(result.code).toBe(0);
    const frames = result.stderr.split("\r").filter(Boolean);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toMatch(
      /^backfill \[#{10}-{14}\] 100\/250 orders \(40%\) {2}\d+\.\d orders\/s/,
    );
    expect(frames[2]).toMatch(/^backfill \[#{24}\] 250\/250 orders \(100%\)/);
    expect(result.stderr.endsWith("\n")).toBe(true);
  });
});
