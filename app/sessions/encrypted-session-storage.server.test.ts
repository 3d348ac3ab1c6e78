import { afterAll, describe, expect, it } from "vitest";
import { randomBytes, randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { onlineSession } from "../../test/helpers/sessions";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createDatabase } from "../db.server";
import { createSecretBox, isSealed, secretBox } from "../crypto/encryption.server";
import { testDatabaseKind } from "../../test/helpers/test-database";
import { EncryptedSessionStorage } from "./encrypted-session-storage.server";
import { sealPlaintextSessions } from "./seal-sessions.server";

const databaseUrl = process.env.DATABASE_URL!;
const db = createDatabase(databaseUrl);
afterAll(() => db.$disconnect());

// The test key (ENCRYPTION_KEY): the sealing step touches every row of the shared test database.
const box = secretBox();
const plainStorage = new PrismaSessionStorage(db);
const storage = new EncryptedSessionStorage(plainStorage, { box: () => box, database: db });

const token = () => `shpat_${randomBytes(16).toString("hex")}`;
const newShop = () => `sealed-${randomUUID().slice(0, 8)}.myshopify.com`;

function offlineSession(shop: string, accessToken = token()) {
  return new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken });
}

const rawRow = (id: string) => db.session.findUniqueOrThrow({ where: { id } });

describe(`Shopify tokens sealed at rest on ${testDatabaseKind()}`, () => {
  it("stores the access and refresh tokens sealed, and loads them opened", async () => {
    const shop = newShop();
    const offline = offlineSession(shop);
    offline.refreshToken = `shprt_${randomBytes(8).toString("hex")}`;
    const online = onlineSession(shop, {
      id: `${shop}_7`,
      state: "s2",
      accessToken: `shpua_${randomBytes(16).toString("hex")}`,
    });
    await storage.storeSession(offline);
    await storage.storeSession(online);

    const row = await rawRow(offline.id);
    expect(isSealed(row.accessToken)).toBe(true);
    expect(row.accessToken).not.toContain(offline.accessToken!.slice(6));
    expect(isSealed(row.refreshToken!)).toBe(true);
    expect(isSealed((await rawRow(online.id)).accessToken)).toBe(true);
    // the caller's session is not changed
    expect(offline.accessToken).toMatch(/^shpat_/);

    const loaded = await storage.loadSession(offline.id);
    expect(loaded?.accessToken).toBe(offline.accessToken);
    expect(loaded?.refreshToken).toBe(offline.refreshToken);
    const loadedOnline = await storage.loadSession(online.id);
    expect(loadedOnline?.accessToken).toBe(online.accessToken);
    expect(loadedOnline?.onlineAccessInfo?.associated_user.email).toBe("ada@example.com");
    const listed = await storage.findSessionsByShop(shop);
    expect(listed.map((s) => s.accessToken).sort()).toEqual(
      [offline.accessToken, online.accessToken].sort(),
    );

    await storage.deleteSessions([offline.id, online.id]);
    expect(await storage.loadSession(offline.id)).toBeUndefined();
  });

  it("reads a row written in plain text before, and seals it at once", async () => {
    const shop = newShop();
    const before = offlineSession(shop);
    await plainStorage.storeSession(before);
    expect((await rawRow(before.id)).accessToken).toBe(before.accessToken);

    expect((await storage.loadSession(before.id))?.accessToken).toBe(before.accessToken);
    const row = await rawRow(before.id);
    expect(isSealed(row.accessToken)).toBe(true);
    expect(box.decrypt(row.accessToken)).toBe(before.accessToken);
  });

  it("never reseals a plain-text row over a newer sign-in", async () => {
    const shop = newShop();
    const stale = offlineSession(shop);
    await plainStorage.storeSession(stale);
    const newer = offlineSession(shop);
    // The row changes between the read and the reseal (a token exchange in another request).
    const racing = new EncryptedSessionStorage(
      {
        storeSession: (session) => plainStorage.storeSession(session),
        deleteSession: (id) => plainStorage.deleteSession(id),
        deleteSessions: (ids) => plainStorage.deleteSessions(ids),
        findSessionsByShop: (s) => plainStorage.findSessionsByShop(s),
        loadSession: async (id) => {
          const read = await plainStorage.loadSession(id);
          await storage.storeSession(newer);
          return read;
        },
      },
      { box: () => box, database: db },
    );
    expect((await racing.loadSession(stale.id))?.accessToken).toBe(stale.accessToken);
    expect((await storage.loadSession(stale.id))?.accessToken).toBe(newer.accessToken);
  });

  it("treats a session whose token no key opens as absent (the shop signs in again)", async () => {
    const shop = newShop();
    const session = offlineSession(shop);
    await new EncryptedSessionStorage(plainStorage, {
      box: () => createSecretBox(randomBytes(32)),
    }).storeSession(session);
    expect(await storage.loadSession(session.id)).toBeUndefined();
  });

  it("seals every plain-text token at start, once", async () => {
    const shops = [newShop(), newShop()];
    const sessions = shops.map((shop) => offlineSession(shop));
    for (const session of sessions) await plainStorage.storeSession(session);

    const first = await sealPlaintextSessions(db, { box, databaseUrl });
    expect(first.sealed).toBeGreaterThanOrEqual(2);
    for (const session of sessions) {
      const row = await rawRow(session.id);
      expect(isSealed(row.accessToken)).toBe(true);
      expect((await storage.loadSession(session.id))?.accessToken).toBe(session.accessToken);
    }
    // Again: the sealed rows are left as they are.
    const sealedValues = await Promise.all(
      sessions.map(async (s) => (await rawRow(s.id)).accessToken),
    );
    await sealPlaintextSessions(db, { box, databaseUrl });
    for (const [index, session] of sessions.entries()) {
      expect((await rawRow(session.id)).accessToken).toBe(sealedValues[index]);
    }
  });
});
