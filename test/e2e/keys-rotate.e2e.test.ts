import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createDatabase, type Database } from "../../app/db.server";
import { createSecretBox, loadEncryptionKey } from "../../app/crypto/encryption.server";
import { saveConnection } from "../../app/models/ProviderConnection.server";
import { runCli } from "../helpers/cli";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

// `keys rotate` as an operator runs it: a real process, the new key in ENCRYPTION_KEY and the old
// one in ENCRYPTION_KEY_PREVIOUS; afterwards the old key is no longer needed. Rotation rewrites
// every row, so it runs on a database of its own.
let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.url);
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

const oldKey = loadEncryptionKey(); // the test ENCRYPTION_KEY, which saves the connection below
const newKey = randomBytes(32);
const SECRET_KEY = `sk_test_${"c3".repeat(32)}`;
const HMAC_SECRET = "hmac-rotate-0123456789";

describe("npm run cli -- keys rotate", () => {
  it("re-encrypts every stored secret, says how many, and a second run changes nothing", async () => {
    await saveConnection(
      {
        shopDomain: "rotate.myshopify.com",
        environment: "sandbox",
        publicKey: "pk_test_rotate",
        secretKey: SECRET_KEY,
        hmacSecret: HMAC_SECRET,
      },
      db,
    );
    const env = {
      DATABASE_URL: testDb.url,
      ENCRYPTION_KEY: newKey.toString("hex"),
      ENCRYPTION_KEY_PREVIOUS: oldKey.toString("hex"),
    };

    const first = await runCli(["keys", "rotate"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Re-encrypted 2 stored secrets .*\(1 shop connection, 0/);
    expect(first.stdout).toContain("ENCRYPTION_KEY_PREVIOUS can be removed");
    expect(first.stdout + first.stderr).not.toContain(SECRET_KEY);

    const second = await runCli(["keys", "rotate"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Re-encrypted 0 stored secrets/);
    expect(second.stdout).toMatch(/2 already under the current key/);

    // The new key alone opens them; the old one alone no longer does.
    const row = await db.providerConnection.findUniqueOrThrow({
      where: { shopDomain: "rotate.myshopify.com" },
    });
    expect(createSecretBox(newKey).decrypt(row.secretKeyEnc)).toBe(SECRET_KEY);
    expect(createSecretBox(newKey).decrypt(row.hmacSecretEnc)).toBe(HMAC_SECRET);
    expect(() => createSecretBox(oldKey).decrypt(row.secretKeyEnc)).toThrow();
  });

  it("exits 1 and names the shop when a secret opens with no key the server holds", async () => {
    const result = await runCli(["keys", "rotate"], {
      DATABASE_URL: testDb.url,
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Not rotated: ProviderConnection of rotate.myshopify.com");
  });
});
