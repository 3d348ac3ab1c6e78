import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCipheriv, randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createDatabase, type Database } from "../db.server";
import { createSecretBox, loadEncryptionKey, secretBox } from "../crypto/encryption.server";
import { saveConnection, saveWebhookRegistration } from "../models/ProviderConnection.server";
import { EncryptedSessionStorage } from "../sessions/encrypted-session-storage.server";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/test-database";
import { rotateKeys, rotationSummary } from "./rotate-keys.server";

// Rotation rewrites every row, so it runs on a database of its own.
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

const oldKey = loadEncryptionKey(); // the test ENCRYPTION_KEY, which saved everything below
const newKey = randomBytes(32);
const rotated = createSecretBox({ current: newKey, previous: [oldKey] });

function sealV1(key: Buffer, plainText: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const cipherText = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
  return ["v1", ...[iv, cipher.getAuthTag(), cipherText].map((b) => b.toString("base64url"))].join(
    ":",
  );
}

const secrets = {
  aSecret: `sk_test_${"a1".repeat(32)}`,
  aHmac: "hmac-a-0123456789abcdef",
  aWebhook: "whsec_0123456789abcdefghij",
  bSecret: `sk_test_${"b2".repeat(32)}`,
  bHmac: "hmac-b-0123456789abcdef",
  sealedToken: "shpat_sealed_0123456789abcdef",
  plainToken: "shpat_plain_0123456789abcdef",
};

async function seed() {
  const connection = (shopDomain: string, secretKey: string, hmacSecret: string) => ({
    shopDomain,
    environment: "sandbox" as const,
    publicKey: "pk_test_abc",
    secretKey,
    hmacSecret,
  });
  await saveConnection(connection("a.myshopify.com", secrets.aSecret, secrets.aHmac), db);
  await saveWebhookRegistration("a.myshopify.com", { id: "wh_1", secret: secrets.aWebhook }, db);
  await saveConnection(connection("b.myshopify.com", secrets.bSecret, secrets.bHmac), db);
  // b's secret key as the format before key ids wrote it
  await db.providerConnection.update({
    where: { shopDomain: "b.myshopify.com" },
    data: { secretKeyEnc: sealV1(oldKey, secrets.bSecret) },
  });
  const session = (shop: string, accessToken: string) =>
    new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken });
  await new EncryptedSessionStorage(new PrismaSessionStorage(db)).storeSession(
    session("a.myshopify.com", secrets.sealedToken),
  );
  await new PrismaSessionStorage(db).storeSession(session("b.myshopify.com", secrets.plainToken));
}

async function storedValues() {
  const connections = await db.providerConnection.findMany({ orderBy: { shopDomain: "asc" } });
  const sessions = await db.session.findMany({ orderBy: { shop: "asc" } });
  return [
    connections[0].secretKeyEnc,
    connections[0].hmacSecretEnc,
    connections[0].webhookSecretEnc!,
    connections[1].secretKeyEnc,
    connections[1].hmacSecretEnc,
    sessions[0].accessToken,
    sessions[1].accessToken,
  ];
}

describe("keys rotate", () => {
  it("re-encrypts every stored secret to the current key, then finds nothing to do", async () => {
    await seed();
    const before = await storedValues();
    expect(before.slice(0, 6).every((value) => !rotated.needsResealing(value))).toBe(false);

    const result = await rotateKeys(db, { box: rotated, databaseUrl: testDb.url });
    expect(result).toEqual({
      keyId: rotated.keyId,
      reencrypted: 6,
      sealedPlaintext: 1,
      alreadyCurrent: 0,
      rows: { providerConnections: 2, sessions: 2 },
      failures: [],
    });

    // Everything opens with the new key alone, to the same plain text.
    const onlyNew = createSecretBox(newKey);
    const after = await storedValues();
    expect(after.map((value) => onlyNew.decrypt(value))).toEqual([
      secrets.aSecret,
      secrets.aHmac,
      secrets.aWebhook,
      secrets.bSecret,
      secrets.bHmac,
      secrets.sealedToken,
      secrets.plainToken,
    ]);
    expect(after.every((value) => value.startsWith(`v2:${rotated.keyId}:`))).toBe(true);
    expect(() => secretBox().decrypt(after[0])).toThrow(/ENCRYPTION_KEY_PREVIOUS/);

    const again = await rotateKeys(db, { box: rotated, databaseUrl: testDb.url });
    expect(again).toMatchObject({ reencrypted: 0, sealedPlaintext: 0, alreadyCurrent: 7 });
    expect(await storedValues()).toEqual(after);
    expect(rotationSummary(again)).toBe(
      `Re-encrypted 0 stored secrets with key ${rotated.keyId} (0 shop connections, 0 Shopify sessions); sealed 0 plain-text Shopify tokens; 7 already under the current key.\nEvery stored secret is under the current key: ENCRYPTION_KEY_PREVIOUS can be removed.`,
    );
  });

  it("reports a value no key opens and rotates the rest", async () => {
    const lost = createSecretBox(randomBytes(32));
    await db.providerConnection.update({
      where: { shopDomain: "a.myshopify.com" },
      data: { hmacSecretEnc: lost.encrypt("hmac-lost") },
    });
    const newest = createSecretBox({ current: randomBytes(32), previous: [newKey] });
    const result = await rotateKeys(db, { box: newest, databaseUrl: testDb.url });
    expect(result.failures).toEqual([
      expect.objectContaining({ table: "ProviderConnection", shop: "a.myshopify.com" }),
    ]);
    expect(result.failures[0].reason).toMatch(/^hmacSecretEnc: .*ENCRYPTION_KEY_PREVIOUS/);
    // b's connection and both sessions moved on
    expect(result).toMatchObject({ reencrypted: 4, rows: { providerConnections: 1, sessions: 2 } });
    expect(rotationSummary(result)).toMatch(
      /\nNot rotated: ProviderConnection of a\.myshopify\.com \(hmacSecretEnc: /,
    );
  });
});
