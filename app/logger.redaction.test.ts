// Every secret the test suite uses, logged in every shape a careless call could give it, and
// none of it in the output. The secrets the app holds reach the redaction the way they reach it
// in production: the environment's when the logger loads (vitest's env is TEST_APP_ENV), each
// shop's SIR credentials as decryptCredentials opens them. Shopify's access tokens and the
// token-shaped values are never registered: their shape alone must give them away.
import { createHmac, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_APP_ENV } from "../test/helpers/app-env";
import { newKeyMaterial, newWebhookSecret } from "../test/sir-sandbox/ids";
import { secretBox } from "./crypto/encryption.server";
import { registerEnvironmentSecrets } from "./log-redaction.server";
import { createLogger, type Logger } from "./logger.server";
import { decryptCredentials } from "./models/ProviderConnection.server";

const ROOT = new URL("..", import.meta.url).pathname;

// The SIR credentials the suite uses: fixed ones (each test file's constants, copied here
// because a test file cannot be imported) and the sandbox's generated shapes (imported).
const SIR_CREDENTIALS: { source: string; secretKey: string; hmacSecret: string }[] = [
  {
    source: "sandbox-generated (test/sir-sandbox/partners.ts createKeyPair)",
    secretKey: `sk_test_${newKeyMaterial()}`,
    hmacSecret: newKeyMaterial(),
  },
  {
    source: "test/sir-sandbox/lifecycle.test.ts fixedKeys",
    secretKey: `sk_test_${"2".repeat(64)}`,
    hmacSecret: "3".repeat(64),
  },
  {
    source: "test/sir-sandbox/auth.test.ts vectors; app/sir/signing.test.ts, client.test.ts",
    secretKey: `sk_test_${"a".repeat(64)}`,
    hmacSecret: "0123456789abcdef".repeat(4),
  },
  {
    source: "app/sir/client.secrets.test.ts",
    secretKey: "sk_test_LEAKCHECKsecretkey5f3a9c1e7b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f",
    hmacSecret: "hmacLEAKCHECK0123456789abcdef0123456789abcdef0123456789abcdef01",
  },
  {
    source: "app/services/connect-shop.address.test.ts, app.settings tests",
    secretKey: `sk_test_${"ab".repeat(32)}`,
    hmacSecret: "hmac-secret-0123456789",
  },
  {
    source: "test/widget/widget-liquid.test.ts, test/admin/admin.browser.test.ts",
    secretKey: "sk_test_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab",
    hmacSecret: "f".repeat(64),
  },
  {
    source: "app/sir/client.test.ts, app.settings route.test.ts",
    secretKey: `sk_test_${"c".repeat(64)}`,
    hmacSecret: `sk_test_${"a".repeat(40)}`,
  },
];
const WEBHOOK_SECRETS = [newWebhookSecret(), "whsec_test", "whsec_wrong", "whsec_abc123"];

// Held by the app but never decrypted through the registry: the redaction knows them by shape.
const SHAPE_ONLY = [
  "shpat_test_token", // test/admin/fake-shopify.server.ts, admin-graphql.ts
  "shpat_offline_token", // test/foundation/session-storage.test.ts
  "shpua_online_token", // test/foundation/session-storage.test.ts
  `shpat_${randomBytes(16).toString("hex")}`,
  `shpua_${randomBytes(16).toString("hex")}`,
  `shpca_${randomBytes(16).toString("hex")}`,
  `shppa_${randomBytes(16).toString("hex")}`,
  `shpss_${randomBytes(16).toString("hex")}`,
  `sk_live_${randomBytes(24).toString("hex")}`,
  `whsec_${randomBytes(24).toString("hex")}`,
  sessionToken(),
];

function sessionToken() {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ dest: "https://a.myshopify.com", sub: "1" })}`;
  const signature = createHmac("sha256", TEST_APP_ENV.SHOPIFY_API_SECRET)
    .update(unsigned)
    .digest("base64url");
  return `${unsigned}.${signature}`;
}

// Every token-shaped literal in the suite's files, so a secret added to a test later is
// covered without being listed here.
function tokenLiteralsInSuite(): string[] {
  const found = new Set<string>();
  const shape = /\b(?:(?:sk|rk)_(?:test|live)_|whsec_|shp[a-z]{2}_)[A-Za-z0-9_]+/g;
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.(test\.)?tsx?$/.test(name) && (/\.test\./.test(name) || dir.includes("test"))) {
        for (const match of readFileSync(path, "utf8").matchAll(shape)) {
          // A template's fixed start ("sk_test_" before ${…}) is no token.
          if (!/_$/.test(match[0]) && match[0].length >= 10) found.add(match[0]);
        }
      }
    }
  };
  visit(join(ROOT, "app"));
  visit(join(ROOT, "test"));
  return [...found];
}

const METRICS_TOKEN = `metrics-${randomBytes(12).toString("hex")}`;
const DATABASE_PASSWORD = `pw-${randomBytes(8).toString("hex")}`;

function registerTheAppsSecrets() {
  // What config.server reads from the environment beyond vitest's: these come in through the
  // same function the logger runs over process.env when it loads.
  registerEnvironmentSecrets({
    METRICS_TOKEN,
    DATABASE_URL: `postgresql://app:${DATABASE_PASSWORD}@db.internal:5432/sir`,
  });
  const box = secretBox();
  SIR_CREDENTIALS.forEach((credentials, index) => {
    decryptCredentials({
      id: `conn-${index}`,
      shopDomain: `shop-${index}.myshopify.com`,
      provider: "sir",
      environment: "sandbox",
      apiUrl: "https://devapi.sirgiving.org",
      publicKey: `pk_test_${index}`,
      secretKeyEnc: box.encrypt(credentials.secretKey),
      hmacSecretEnc: box.encrypt(credentials.hmacSecret),
      webhookId: null,
      webhookSecretEnc: box.encrypt(WEBHOOK_SECRETS[index % WEBHOOK_SECRETS.length]),
    } as unknown as Parameters<typeof decryptCredentials>[0]);
  });
}

function logInEveryShape(log: Logger, secret: string) {
  const encoded = encodeURIComponent(secret);
  // Plain string: the message, and a field under an innocent key.
  log.info(`connecting with ${secret}`);
  log.info(secret);
  log.info("plain field", { note: secret, detail: `before ${secret} after`, code: 7 });
  // Nested under innocent keys, deeper than five levels.
  log.info("nested", {
    a: { b: { c: { d: { e: { f: { g: { h: { i: { note: secret } } } } } } } } },
  });
  // Under the keys a careless call would use.
  log.warn("keyed", {
    secretKey: secret,
    hmacSecret: secret,
    webhookSecret: secret,
    accessToken: secret,
    password: secret,
    headers: {
      Authorization: `Bearer ${secret}`,
      "X-Partner-Key": secret,
      "X-Shopify-Access-Token": secret,
    },
  });
  // Errors: the message, the stack (which repeats it), a cause, a field of the error.
  const error = Object.assign(new Error(`SIR refused ${secret}`, { cause: new Error(secret) }), {
    request: { body: `{"key":"${secret}"}` },
  });
  log.error("failed", { error });
  log.error("failed again", { err: error, errors: [new TypeError(`bad ${secret}`)] });
  // URLs: query string, userinfo, path, a URL object.
  log.warn("url", {
    query: `https://sir.test/v1/actions?token=${encoded}&shop=a.myshopify.com`,
    userinfo: `https://partner:${encoded}@sir.test/v1`,
    userOnly: `https://${encoded}@sir.test/v1`,
    path: `https://sir.test/hooks/${encoded}/x`,
    object: new URL(`https://sir.test/cb?code=${encoded}&hmac=${encoded}`),
    note: `retrying https://sir.test/v1?access_token=${encoded}`,
  });
  // Arrays, Maps, Sets, text that holds JSON, cycles, next to a bigint.
  const cyclic: Record<string, unknown> = { value: secret };
  cyclic.again = cyclic;
  log.warn("collections", {
    list: [secret, [secret, [secret]], { value: secret }],
    map: new Map<string, unknown>([
      ["value", secret],
      [secret, 1],
    ]),
    set: new Set([secret]),
    json: JSON.stringify({ connection: { secretKey: secret } }),
    bytes: Buffer.from(secret),
    cyclic,
    amount: 12345678901234567890n,
  });
  // A child logger's context.
  log.child({ connection: secret, shop: "a.myshopify.com" }).info(`child ${secret}`);
}

describe("log redaction of every secret the test suite uses", () => {
  registerTheAppsSecrets();
  const envKey = Buffer.from(TEST_APP_ENV.ENCRYPTION_KEY, "hex");
  const secrets: [string, string][] = [
    ["SHOPIFY_API_SECRET (test/helpers/app-env.ts)", TEST_APP_ENV.SHOPIFY_API_SECRET],
    ["ENCRYPTION_KEY (test/helpers/app-env.ts)", TEST_APP_ENV.ENCRYPTION_KEY],
    ["ENCRYPTION_KEY, base64", envKey.toString("base64")],
    ["ENCRYPTION_KEY, upper-case hex", envKey.toString("hex").toUpperCase()],
    ["METRICS_TOKEN", METRICS_TOKEN],
    ["DATABASE_URL password", DATABASE_PASSWORD],
    ...SIR_CREDENTIALS.flatMap(({ source, secretKey, hmacSecret }): [string, string][] => [
      [`SIR secret key, ${source}`, secretKey],
      [`SIR HMAC secret, ${source}`, hmacSecret],
    ]),
    ...WEBHOOK_SECRETS.map((secret): [string, string] => ["SIR webhook secret", secret]),
    ...SHAPE_ONLY.map((secret): [string, string] => ["by shape only", secret]),
    ...tokenLiteralsInSuite().map((secret): [string, string] => ["literal in the suite", secret]),
  ];

  it("finds the suite's token literals", () => {
    const literals = tokenLiteralsInSuite();
    expect(literals).toContain("shpat_test_token");
    expect(literals).toContain("whsec_wrong");
    expect(literals.length).toBeGreaterThan(10);
  });

  it.each(secrets)("never writes %s", (_source, secret) => {
    const lines: string[] = [];
    const log = createLogger({ component: "redaction-test" }, "debug", (line) => lines.push(line));
    logInEveryShape(log, secret);
    expect(lines).toHaveLength(10);
    const output = lines.join("\n");
    const leaks = [secret, encodeURIComponent(secret)].filter((form) => output.includes(form));
    const leaking = lines.filter((line) => leaks.some((form) => line.includes(form)));
    expect(leaks, `the secret is in:\n${leaking.join("\n")}`).toEqual([]);
    // The lines are still there to read: the innocent parts survive.
    expect(output).toContain("a.myshopify.com");
    expect(output).toContain('"amount":"12345678901234567890"');
  });

  it("leaves publishable keys readable (they are public: the storefront widget shows them)", () => {
    const lines: string[] = [];
    const log = createLogger({}, "debug", (line) => lines.push(line));
    log.info("widget settings", { publicKey: "pk_test_widget0123456789" });
    expect(lines[0]).toContain("pk_test_widget0123456789");
  });
});
