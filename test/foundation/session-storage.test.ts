import { afterAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { onlineSession } from "../helpers/sessions";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createDatabase } from "../../app/db.server";
import { testDatabaseKind } from "../helpers/test-database";

const db = createDatabase(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

describe(`Shopify session storage on ${testDatabaseKind()}`, () => {
  const storage = new PrismaSessionStorage(db);
  const shop = `session-${Date.now()}.myshopify.com`;

  it("stores, loads, lists and deletes offline and online sessions", async () => {
    const offline = new Session({
      id: `offline_${shop}`,
      shop,
      state: "state-1",
      isOnline: false,
      scope: "read_orders,read_customers",
      accessToken: "shpat_offline_token",
    });
    const online = onlineSession(shop, {
      id: `${shop}_42`,
      state: "state-2",
      accessToken: "shpua_online_token",
    });

    expect(await storage.storeSession(offline)).toBe(true);
    expect(await storage.storeSession(online)).toBe(true);

    const loadedOffline = await storage.loadSession(offline.id);
    expect(loadedOffline?.accessToken).toBe("shpat_offline_token");
    expect(loadedOffline?.scope).toBe("read_orders,read_customers");
    expect(loadedOffline?.isOnline).toBe(false);

    const loadedOnline = await storage.loadSession(online.id);
    expect(loadedOnline?.onlineAccessInfo?.associated_user.email).toBe("ada@example.com");
    expect(loadedOnline?.expires?.getTime()).toBe(online.expires?.getTime());

    const listed = await storage.findSessionsByShop(shop);
    expect(listed.map((s) => s.id).sort()).toEqual([offline.id, online.id].sort());

    // Storing again updates in place (token refresh), never duplicates.
    offline.accessToken = "shpat_rotated";
    await storage.storeSession(offline);
    expect((await storage.loadSession(offline.id))?.accessToken).toBe("shpat_rotated");
    expect(await storage.findSessionsByShop(shop)).toHaveLength(2);

    await storage.deleteSessions([offline.id, online.id]);
    expect(await storage.loadSession(offline.id)).toBeUndefined();
    expect(await storage.findSessionsByShop(shop)).toHaveLength(0);
  });
});
