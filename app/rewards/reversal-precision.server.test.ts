import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase } from "../db.server";
import { createSirClient } from "../sir";
import { createSirProvider } from "../providers/sir/sir-provider.server";
import { saveConnection } from "../models/ProviderConnection.server";
import { claimedReward } from "../../test/helpers/rewards";
import { SandboxControl, type SandboxPartner } from "../../test/helpers/sandbox-control";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { processRewards } from "./process-reward.server";

// reversalPercentage with 2 decimals is ASSUMED; the docs say "1–100". Against a SIR that takes
// whole percentages only (the sandbox's integerReversalPercentage switch), reversals degrade to
// whole percentages instead of failing: floored to 1 %, the rest carried, the last exact.
const db = createDatabase(process.env.DATABASE_URL);
const CLAIM = "worker:precision";
let sandbox: Sandbox;
let control: SandboxControl;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, behaviour: { integerReversalPercentage: true } });
  control = new SandboxControl(sandbox.url);
});
afterAll(async () => {
  await sandbox?.close();
  await db.$disconnect();
});

async function connectedShop() {
  const shopDomain = `precision-${randomUUID().slice(0, 8)}.myshopify.com`;
  const partner: SandboxPartner = await control.createPartner({ name: shopDomain });
  await saveConnection(
    {
      shopDomain,
      environment: "sandbox",
      apiUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    },
    db,
  );
  const provider = createSirProvider(
    createSirClient({
      baseUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    }),
  );
  return { shopDomain, partner, providerFor: async () => provider };
}

describe("reversals against a SIR that takes whole percentages only", () => {
  it("sends 33 + 33 (+ a carried 0.3 %) + 34 for thirds and a cancel, and remembers it", async () => {
    const { shopDomain, partner, providerFor } = await connectedShop();
    const reward = await db.reward.update({
      where: { id: (await claimedReward(db, shopDomain, CLAIM)).id },
      data: { partnerUserId: "customer-1" },
    });
    await processRewards([reward], providerFor, db);
    expect(await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).toMatchObject({
      status: "rewarded",
      tokensDistributed: 100,
    });

    const reverse = async (kind: "refund" | "cancel", refundedBasisMinor: bigint) => {
      const sourceId = randomUUID();
      await db.reversal.create({
        data: {
          rewardId: reward.id,
          kind,
          sourceId,
          idempotencyKey: `${reward.idempotencyKey}:${kind}:${sourceId}`,
          refundedBasisMinor,
          status: "pending",
        },
      });
      const claimed = await db.reward.update({
        where: { id: reward.id },
        data: { lockedBy: CLAIM, lockedUntil: new Date(Date.now() + 60_000), workPending: true },
      });
      await processRewards([claimed], providerFor, db);
      return db.reversal.findFirstOrThrow({ where: { rewardId: reward.id, sourceId } });
    };

    // A third of 100.00: 33.33 % is refused as invalid, then 33 goes under the same key.
    const first = await reverse("refund", 3_333n);
    expect(first).toMatchObject({ status: "applied", percent: "33", lastError: null });
    const connection = await db.providerConnection.findUniqueOrThrow({ where: { shopDomain } });
    expect(connection.reversalWholePercentSince).not.toBeNull();
    // Known from now on: whole at once; a refund under what reaches the next 1 % is carried.
    expect(await reverse("refund", 3_333n)).toMatchObject({ status: "applied", percent: "33" });
    // 66.66 % + 0.30 % = 66.96 %, still 66 when floored: carried, nothing sent.
    expect(await reverse("refund", 30n)).toMatchObject({ status: "applied", percent: null });
    expect(await reverse("cancel", 0n)).toMatchObject({ status: "applied", percent: "34" });

    const row = await db.reward.findUniqueOrThrow({ where: { id: reward.id } });
    expect(row).toMatchObject({
      status: "reversed",
      reversedPercent: "100.00",
      tokensReversed: 100,
      lastError: null,
    });
    const [action] = await control.actions(partner.partnerId);
    expect(action.reversals.map((reversal) => reversal.reversalPercentage)).toEqual([33, 33, 34]);
    expect(action.tokensReversed).toBe(action.tokensDistributed);
    // One refused call in all: the first, before the connection knew.
    const refused = (await control.arrivals(partner.secretKey)).filter(
      (request) => request.path.endsWith("/reverse") && request.status === 400,
    );
    expect(refused).toHaveLength(1);
  });
});
