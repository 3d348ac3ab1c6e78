import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createDatabase, type Database } from "../../app/db.server";
import { decryptCredentials, findConnection } from "../../app/models/ProviderConnection.server";
import { EncryptedSessionStorage } from "../../app/sessions/encrypted-session-storage.server";
import { connectShop } from "../../app/services/connect-shop.server";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { sandboxBehaviourFromEnv } from "../helpers/pipeline";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { createSandboxPartner } from "../admin/helpers";

// A test install's database, dumped as an attacker would take it (the SQLite
// files' raw bytes; pg_dump on PostgreSQL), holds no secret in plain text:
// not a Shopify access token — one written by an older version in plain text
// included, sealed when the server starts — nor a SIR key or webhook secret.

const SHOP = "dump-test.myshopify.com";
const LEGACY_SHOP = "dump-legacy.myshopify.com";
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const legacyToken = `shpat_${hex(16)}`;
const currentToken = `shpat_${hex(16)}`;
const refreshToken = `shprt_${hex(16)}`;

let testDb: TestDatabase;
let db: Database;
let sandbox: Sandbox;
let app: AppServer | undefined;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.url);
  sandbox = await startSandbox({ port: 0, behaviour: sandboxBehaviourFromEnv() });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await db?.$disconnect();
  await sandbox?.close();
  await testDb?.drop();
});

function dump(): string {
  if (testDb.kind === "sqlite") {
    const file = fileURLToPath(new URL(testDb.url.replace(/^file:/, "file://")));
    return ["", "-wal", "-journal"]
      .map((suffix) => `${file}${suffix}`)
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString("latin1"))
      .join("\n");
  }
  const result = spawnSync("pg_dump", ["--no-owner", "--data-only", testDb.url], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr}`);
  return result.stdout;
}

describe("secrets at rest", () => {
  it("a dump of the database holds no access token, SIR key or webhook secret in plain text", async () => {
    // An install from before tokens were sealed: Shopify's template wrote them as they are.
    await new PrismaSessionStorage(db).storeSession(
      new Session({
        id: `offline_${LEGACY_SHOP}`,
        shop: LEGACY_SHOP,
        state: "s",
        isOnline: false,
        accessToken: legacyToken,
      }),
    );
    expect(dump()).toContain(legacyToken); // the dump finds plain text when there is some

    // The upgraded server starts (and seals what it finds before it answers).
    app = await startAppServer({ databaseUrl: testDb.url });
    expect(dump().includes(legacyToken), "legacy token in plain text after start").toBe(false);

    // A sign-in through the app's session storage, and a shop connected through
    // the path the settings page and the CLI share, against the sandbox.
    const session = new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "s",
      isOnline: false,
      accessToken: currentToken,
    });
    session.refreshToken = refreshToken;
    const storage = new EncryptedSessionStorage(new PrismaSessionStorage(db), { database: db });
    await storage.storeSession(session);
    const partner = await createSandboxPartner(sandbox.url);
    const connected = await connectShop(
      {
        shopDomain: SHOP,
        environment: "sandbox",
        apiUrl: sandbox.url,
        publicKey: partner.publicKey,
        secretKey: partner.secretKey,
        hmacSecret: partner.hmacSecret,
        appUrl: app.url,
      },
      db,
    );
    expect(connected).toEqual({ webhookRegistered: true });
    const { webhookSecret } = decryptCredentials((await findConnection(SHOP, db))!);
    expect(webhookSecret).toMatch(/^whsec_/);

    // Everything still opens for the app.
    expect((await storage.loadSession(`offline_${LEGACY_SHOP}`))?.accessToken).toBe(legacyToken);
    expect((await storage.loadSession(`offline_${SHOP}`))?.refreshToken).toBe(refreshToken);

    const secrets = {
      "legacy access token": legacyToken,
      "access token": currentToken,
      "refresh token": refreshToken,
      "SIR secret key": partner.secretKey,
      "SIR HMAC secret": partner.hmacSecret,
      "SIR webhook secret": webhookSecret!,
    };
    const check = (when: string) => {
      const raw = dump();
      expect(raw).toContain(partner.publicKey); // the dump is real: the public key is stored as is
      for (const [name, secret] of Object.entries(secrets)) {
        expect(raw.includes(secret), `${name} found in the dump ${when}`).toBe(false);
      }
    };
    check("while the server runs");
    await app.stop();
    app = undefined;
    check("after the server stopped");
  });
});
