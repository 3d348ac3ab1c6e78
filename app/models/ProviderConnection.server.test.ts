import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase } from "../db.server";
import {
  findWebhookSecret,
  saveConnection,
  saveWebhookRegistration,
} from "./ProviderConnection.server";

const db = createDatabase(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

describe("the SIR webhook secret a delivery is checked with", () => {
  it("is null for an unknown shop and before registration, then the registered secret", async () => {
    const shopDomain = `secret-${randomUUID().slice(0, 8)}.myshopify.com`;
    expect(await findWebhookSecret(shopDomain, db)).toBeNull();

    await saveConnection(
      {
        shopDomain,
        environment: "sandbox",
        publicKey: "pk_test_1",
        secretKey: "sk_test_1",
        hmacSecret: "hmac-1",
      },
      db,
    );
    expect(await findWebhookSecret(shopDomain, db)).toBeNull();

    await saveWebhookRegistration(shopDomain, { id: "wh_1", secret: "whsec_first" }, db);
    expect(await findWebhookSecret(shopDomain, db)).toBe("whsec_first");
    // Stored encrypted, never as given.
    const row = await db.providerConnection.findUniqueOrThrow({ where: { shopDomain } });
    expect(row.webhookSecretEnc).not.toContain("whsec_first");

    await saveWebhookRegistration(shopDomain, { id: "wh_2", secret: "whsec_second" }, db);
    expect(await findWebhookSecret(shopDomain, db)).toBe("whsec_second");
  });
});
