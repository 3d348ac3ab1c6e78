import { findRewardMultiplier } from "../models/ProviderConnection.server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SetupServerApi } from "msw/node";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { FakeAdminApi, interceptAdminApi } from "../../test/admin/fake-admin-api";
import { createSandboxPartner, uniqueShop } from "../../test/admin/helpers";
import { connectShop } from "../services/connect-shop.server";
import { saveEarningRules } from "../models/RewardSettings.server";
import { DEFAULT_EARNING_RULES } from "../rewards/calculation/settings";
import type { AdminGraphql } from "../services/admin/admin-graphql.server";
import { campaignMultiplier } from "../sir/estimate-assumptions";
import { ESTIMATE_METAFIELD } from "./contract";
import { estimateForLines, parseEstimateSettings } from "./estimate";
import {
  buildEstimateSettings,
  refreshEstimateMetafield,
  resetEstimateRefreshClock,
  tryRefreshEstimateMetafield,
} from "./estimate-metafield.server";
import { refreshEstimatesIfDue, resetEstimateRefreshSchedule } from "./estimate-refresh.server";

let sandbox: Sandbox;
let msw: SetupServerApi;
const adminApi = new FakeAdminApi();

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  msw = interceptAdminApi(adminApi, [sandbox.url]);
});
afterAll(async () => {
  msw?.close();
  await sandbox?.close();
});
beforeEach(() => resetEstimateRefreshClock());

/** The admin context's graphql, as shopify-app-remix sends it. */
const graphqlFor =
  (shop: string): AdminGraphql =>
  (query, options) =>
    fetch(`https://${shop}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_test" },
      body: JSON.stringify({ query, variables: options?.variables }),
    });

async function connected(shop: string, spec: Record<string, unknown> = {}) {
  const partner = await createSandboxPartner(sandbox.url, spec);
  await connectShop({
    shopDomain: shop,
    environment: "sandbox",
    apiUrl: sandbox.url,
    publicKey: partner.publicKey,
    secretKey: partner.secretKey,
    hmacSecret: partner.hmacSecret,
    appUrl: "https://app.test",
  });
}

const stored = (shop: string) => {
  const field =
    adminApi.metafields(shop)[`${ESTIMATE_METAFIELD.namespace}.${ESTIMATE_METAFIELD.key}`];
  return field ? { ...field, settings: parseEstimateSettings(field.value) } : undefined;
};

describe("buildEstimateSettings", () => {
  it("carries the rules, the ISO 4217 exponent, the minimum in minor units (ceil) and the rate", () => {
    const settings = buildEstimateSettings({
      rules: {
        ...DEFAULT_EARNING_RULES,
        includeShipping: true,
        minimumOrderAmount: "25.5",
        excludedProductTags: ["No-Rewards"],
      },
      currency: "JPY",
      rate: { unit: { one: "token", other: "tokens" }, unitsPerMajor: "1", multiplier: "1.15" },
      now: new Date("2026-12-01T12:00:00Z"),
    });
    expect(settings).toEqual({
      version: 1,
      unit: { one: "token", other: "tokens" },
      currency: "JPY",
      exponent: 0,
      unitsPerMajor: "1",
      multiplier: "1.15",
      includeShipping: true,
      includeTax: false,
      minimumOrderMinor: "26",
      excludedProductTags: ["No-Rewards"],
      updatedAt: "2026-12-01T12:00:00.000Z",
    });
    expect(buildEstimateSettings({ ...baseInput(), currency: "KWD" }).exponent).toBe(3);
  });
});

function baseInput() {
  return {
    rules: DEFAULT_EARNING_RULES,
    currency: "USD",
    rate: { unit: { one: "token", other: "tokens" }, unitsPerMajor: "1", multiplier: "1" },
  };
}

describe("campaignMultiplier (ASSUMED baseMultiplier)", () => {
  it("reads a number or decimal text, else 1", () => {
    expect(campaignMultiplier({ id: "c", baseMultiplier: 1.15 })).toBe("1.15");
    expect(campaignMultiplier({ id: "c", baseMultiplier: "2" })).toBe("2");
    expect(campaignMultiplier(null)).toBe("1");
    expect(campaignMultiplier({ id: "c" })).toBe("1");
    expect(campaignMultiplier({ id: "c", baseMultiplier: -2 })).toBe("1");
    expect(campaignMultiplier({ id: "c", baseMultiplier: 1e21 })).toBe("1");
  });
});

describe("refreshEstimateMetafield, Admin API intercepted", () => {
  it("writes the rules and the active campaign's multiplier as an $app json metafield", async () => {
    const shop = uniqueShop();
    adminApi.setShopCurrency(shop, "KWD");
    await connected(shop, { campaignMultiplier: 1.15 });
    await saveEarningRules(shop, {
      ...DEFAULT_EARNING_RULES,
      minimumOrderAmount: "10",
      excludedProductTags: ["gift-wrap"],
    });
    await refreshEstimateMetafield(shop, graphqlFor(shop));
    const field = stored(shop)!;
    expect(field.ownerId).toBe(adminApi.appInstallationId(shop));
    expect(field.type).toBe("json");
    expect(field.settings).toMatchObject({
      currency: "KWD",
      exponent: 3,
      multiplier: "1.15",
      unitsPerMajor: "1",
      minimumOrderMinor: "10000",
      excludedProductTags: ["gift-wrap"],
    });
    // 10.000 KWD × 1.15 = 11.5 → 12
    expect(estimateForLines([{ unitPriceMinor: 10_000n, quantity: 1 }], field.settings!)).toBe(12);
    // Kept for the shopper endpoints' estimate of unconfirmed orders too.
    expect(await findRewardMultiplier(shop)).toBe("1.15");
  });

  it('says multiplier "1" without an active campaign, and unit words from the platform', async () => {
    const shop = uniqueShop();
    await connected(shop);
    await refreshEstimateMetafield(shop, graphqlFor(shop));
    expect(stored(shop)!.settings).toMatchObject({
      multiplier: "1",
      currency: "USD",
      exponent: 2,
      unit: { one: "token", other: "tokens" },
      minimumOrderMinor: null,
    });
  });

  it("turns a refusal into a sentence and keeps the previous value; skips a fresh one", async () => {
    const shop = uniqueShop();
    await connected(shop);
    const graphql = graphqlFor(shop);
    expect(await tryRefreshEstimateMetafield(shop, graphql)).toBeNull();
    const before = stored(shop)!.value;
    resetEstimateRefreshClock();
    adminApi.answerNextWith("SetWidgetMetafields", {
      data: {
        metafieldsSet: {
          metafields: null,
          userErrors: [{ field: ["metafields"], message: "Value is invalid", code: "INVALID" }],
        },
      },
    });
    expect(await tryRefreshEstimateMetafield(shop, graphql)).toMatch(/Value is invalid/);
    expect(stored(shop)!.value).toBe(before);

    const writes = () => adminApi.callsTo(shop, "SetWidgetMetafields").length;
    await tryRefreshEstimateMetafield(shop, graphql);
    const count = writes();
    await tryRefreshEstimateMetafield(shop, graphql, { ifOlderThanMs: 60_000 });
    expect(writes()).toBe(count);
  });
});

describe("refreshEstimatesIfDue (the worker's hourly hook)", () => {
  it("rewrites every connected shop's estimate once an hour, whatever fails for other shops", async () => {
    resetEstimateRefreshSchedule();
    const [withCampaign, without] = [uniqueShop(), uniqueShop()];
    await connected(withCampaign, { campaignMultiplier: 2 });
    await connected(without);
    const adminFor = async (shop: string) => {
      if (shop !== withCampaign && shop !== without) throw new Error("another test's shop");
      return graphqlFor(shop);
    };
    const start = new Date();
    await refreshEstimatesIfDue({ adminFor, now: start }); // starts the clock, writes nothing
    expect(stored(withCampaign)).toBeUndefined();
    const now = new Date(start.getTime() + 61 * 60_000);
    await refreshEstimatesIfDue({ adminFor, now });
    expect(stored(withCampaign)!.settings!.multiplier).toBe("2");
    expect(stored(without)!.settings!.multiplier).toBe("1");

    const writes = () => adminApi.callsTo(withCampaign, "SetWidgetMetafields").length;
    const before = writes();
    await refreshEstimatesIfDue({ adminFor, now: new Date(now.getTime() + 30 * 60_000) });
    expect(writes()).toBe(before);
    await refreshEstimatesIfDue({ adminFor, now: new Date(now.getTime() + 61 * 60_000) });
    expect(writes()).toBe(before + 1);
  });
});
