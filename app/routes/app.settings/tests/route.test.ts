import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SetupServerApi } from "msw/node";
import { startSandbox, type Sandbox } from "../../../../test/sir-sandbox/server";
import { FakeAdminApi, interceptAdminApi } from "../../../../test/admin/fake-admin-api";
import {
  adminRequest,
  callRoute,
  createSandboxPartner,
  uniqueShop,
} from "../../../../test/admin/helpers";
import { db } from "../../../db.server";
import {
  decryptCredentials,
  findConnection,
  markBatchingUnavailable,
} from "../../../models/ProviderConnection.server";
import { getEarningRules } from "../../../models/RewardSettings.server";
import { action, loader } from "../route";

// Shopify's admin authentication, as Shopify's reference apps mock it.
vi.mock("~/shopify.server", () => import("../../../../test/admin/fake-shopify.server"));

const UNREACHABLE = "http://127.0.0.1:9";
const ALL_SCOPES_BUT_REVERSE = [
  "actions:write",
  "actions:read",
  "pools:read",
  "pools:write",
  "campaigns:read",
  "users:read",
  "webhooks:write",
  "webhooks:read",
];

let sandbox: Sandbox;
let skewedSandbox: Sandbox;
let msw: SetupServerApi;
const adminApi = new FakeAdminApi();

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // A SIR whose clock is 10 minutes ahead of this server's.
  skewedSandbox = await startSandbox({ port: 0, now: () => Date.now() + 10 * 60_000 });
  msw = interceptAdminApi(adminApi, [sandbox.url, skewedSandbox.url, UNREACHABLE]);
});
afterAll(async () => {
  msw?.close();
  await sandbox?.close();
  await skewedSandbox?.close();
});

type Keys = { publicKey: string; secretKey: string; hmacSecret: string };

function connectionForm(intent: string, keys: Keys, overrides: Record<string, string> = {}) {
  return {
    intent,
    environment: "sandbox",
    apiUrl: sandbox.url,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    hmacSecret: keys.hmacSecret,
    defaultNonprofit: "american-red-cross",
    ...overrides,
  };
}

async function submit(shop: string, form: Record<string, string>) {
  return callRoute(action, adminRequest(shop, "/app/settings", form));
}

async function testConnection(keys: Keys, overrides: Record<string, string> = {}) {
  const result = await submit(uniqueShop(), connectionForm("test-connection", keys, overrides));
  if (result.intent !== "test-connection") throw new Error("wrong intent");
  return result;
}

describe("settings loader", () => {
  it("refuses a request Shopify has not authenticated", async () => {
    const request = new Request("https://sir-rewards.test/app/settings");
    await expect(callRoute(loader, request)).rejects.toMatchObject({ status: 401 });
  });

  it("shows a new shop the default earning rules and the app embed link", async () => {
    const shop = uniqueShop();
    const data = await callRoute(loader, adminRequest(shop, "/app/settings"));
    expect(data.connection).toBeNull();
    expect(data.rules).toMatchObject({ includeShipping: false, includePosOrders: true });
    expect(data.appEmbedUrl).toBe(
      `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=test-api-key/donate-embed`,
    );
    const store = shop.replace(".myshopify.com", "");
    expect(data.surfaces).toEqual({
      estimateBlockUrl: `https://${shop}/admin/themes/current/editor?template=product&addAppBlockId=test-api-key/sir-estimate&target=mainSection`,
      estimateCartBlockUrl: `https://${shop}/admin/themes/current/editor?template=cart&addAppBlockId=test-api-key/sir-estimate&target=mainSection`,
      checkoutEditorUrl: `https://admin.shopify.com/store/${store}/settings/checkout/editor`,
      customerAccountsUrl: `https://admin.shopify.com/store/${store}/settings/customer_accounts`,
    });
  });
});

describe("test connection", () => {
  it("names the partner, the active campaign and the pool balance, and saves nothing", async () => {
    const partner = await createSandboxPartner(sandbox.url, {
      name: "Green Threads",
      campaignMultiplier: 2,
      poolBalance: 50_000,
    });
    const shop = uniqueShop();
    const result = await submit(shop, connectionForm("test-connection", partner));
    expect(result).toEqual({
      intent: "test-connection",
      ok: true,
      partnerName: "Green Threads",
      campaign: { name: "2X rewards", multiplier: "2" },
      pool: expect.objectContaining({ id: partner.poolId, availableBalance: 50_000 }),
    });
    expect(await findConnection(shop)).toBeNull();
  });

  it("says the HMAC secret does not match the secret key", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const result = await testConnection({ ...partner, hmacSecret: "0".repeat(64) });
    expect(result).toMatchObject({ ok: false });
    expect(result.ok || result.message).toBe(
      "SIR rejected the request signature. Check that the HMAC secret belongs to this secret key (SIR shows both once, when the key pair is created).",
    );
  });

  it("says SIR does not know the secret key", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const result = await testConnection({ ...partner, secretKey: `sk_test_${"a".repeat(40)}` });
    expect(result.ok || result.message).toMatch(/^SIR does not recognise the secret key\./);
  });

  it("says SIR does not know the publishable key", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const result = await testConnection({ ...partner, publicKey: `pk_test_${"b".repeat(40)}` });
    expect(result.ok || result.message).toMatch(/^SIR does not recognise the publishable key\./);
  });

  it("blames this server's clock when SIR rejects the request time", async () => {
    const partner = await createSandboxPartner(skewedSandbox.url);
    const result = await testConnection(partner, { apiUrl: skewedSandbox.url });
    expect(result.ok || result.message).toMatch(/clock is probably wrong/);
  });

  it("names the missing actions:reverse permission and what it breaks", async () => {
    const partner = await createSandboxPartner(sandbox.url, { scopes: ALL_SCOPES_BUT_REVERSE });
    const result = await testConnection(partner);
    expect(result.ok || result.message).toBe(
      "Your SIR secret key lacks the actions:reverse permission, so refunds and cancellations could not take tokens back. Ask SIR for a key that includes it.",
    );
  });

  it("says where SIR could not be reached", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const result = await testConnection(partner, { apiUrl: UNREACHABLE });
    expect(result.ok || result.message).toBe(
      `SIR could not be reached at ${UNREACHABLE}. Check the API address, and that this server can reach it.`,
    );
  });

  it("puts a sentence on each field that is wrong, before calling SIR", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const result = await testConnection(partner, {
      publicKey: partner.secretKey,
      secretKey: "sk_live_abc",
      hmacSecret: "",
      apiUrl: "http://sir.example.com/v1",
      defaultNonprofit: "Red Cross!",
    });
    expect(result).toMatchObject({
      ok: false,
      errors: {
        publicKey:
          "This is a secret key: paste it under Secret key. The publishable key starts with pk_.",
        secretKey:
          "This is a production key: choose Production above, or paste your sandbox secret key.",
        hmacSecret: "Enter the HMAC secret SIR showed with your key pair.",
        apiUrl: expect.stringMatching(/^The API address must be an https:\/\/ address/),
        defaultNonprofit: expect.stringMatching(/^Enter the nonprofit's SIR name/),
      },
    });
  });
});

describe("save connection", () => {
  it("stores the keys encrypted, registers SIR's webhook and writes only public values to the widget's metafields", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    const result = await submit(shop, connectionForm("save-connection", partner));
    expect(result).toEqual({
      intent: "save-connection",
      ok: true,
      webhookWarning: null,
      widgetWarning: null,
    });

    const row = (await findConnection(shop))!;
    expect(row.secretKeyEnc).not.toContain(partner.secretKey);
    expect(row.hmacSecretEnc).not.toContain(partner.hmacSecret);
    expect(decryptCredentials(row)).toMatchObject({
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
      webhookSecret: expect.stringMatching(/^whsec_/),
    });
    const webhooks = [...sandbox.state.webhooks.values()].filter(
      (hook) => hook.id === row.webhookId,
    );
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0].url).toBe(
      `https://sir-rewards.test/webhooks/sir?shop=${encodeURIComponent(shop)}`,
    );

    const installation = adminApi.appInstallationId(shop);
    expect(adminApi.callsTo(shop, "CurrentAppInstallation")).toHaveLength(1);
    expect(adminApi.metafields(shop)).toEqual({
      "sir_rewards.publishable_key": {
        ownerId: installation,
        type: "single_line_text_field",
        value: partner.publicKey,
      },
      "sir_rewards.api_base_url": {
        ownerId: installation,
        type: "single_line_text_field",
        value: sandbox.url,
      },
      "sir_rewards.environment": {
        ownerId: installation,
        type: "single_line_text_field",
        value: "sandbox",
      },
      "sir_rewards.default_nonprofit": {
        ownerId: installation,
        type: "single_line_text_field",
        value: "american-red-cross",
      },
      "sir_rewards.minor_units": {
        ownerId: installation,
        type: "json",
        value: expect.stringContaining('"JPY":0'),
      },
      "sir_rewards.configured": { ownerId: installation, type: "boolean", value: "true" },
      // The shopper estimate, app-owned, written on connect (no campaign: multiplier 1).
      "$app.reward_estimate": {
        ownerId: installation,
        type: "json",
        value: expect.stringContaining('"multiplier":"1"'),
      },
    });
  });

  it("never sends a secret back: the page shows only the last four characters", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    await submit(shop, connectionForm("save-connection", partner));
    const webhookSecret = decryptCredentials((await findConnection(shop))!).webhookSecret!;

    const data = await callRoute(loader, adminRequest(shop, "/app/settings"));
    expect(data.connection).toMatchObject({
      environment: "sandbox",
      customApiUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKeyHint: `…${partner.secretKey.slice(-4)}`,
      hmacSecretHint: `…${partner.hmacSecret.slice(-4)}`,
      webhookRegistered: true,
    });
    const json = JSON.stringify(data);
    for (const secret of [partner.secretKey, partner.hmacSecret, webhookSecret]) {
      expect(json).not.toContain(secret);
      expect(json).not.toContain(secret.slice(0, -4));
    }
  });

  it("says when rewards go one by one because SIR's bulk endpoint is unavailable", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    await submit(shop, connectionForm("save-connection", partner));
    const before = await callRoute(loader, adminRequest(shop, "/app/settings"));
    expect(before.connection).toMatchObject({ sendingNote: null });

    await markBatchingUnavailable(shop);
    const since = (await findConnection(shop))!.bulkUnavailableSince!;
    const after = await callRoute(loader, adminRequest(shop, "/app/settings"));
    expect(after.connection?.sendingNote).toBe(
      `Sending one by one: SIR's bulk endpoint is unavailable (since ${since.toISOString()}).`,
    );
  });

  it("keeps the stored secrets when the fields are left blank, and removes a cleared nonprofit from the widget", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    await submit(shop, connectionForm("save-connection", partner));
    const result = await submit(
      shop,
      connectionForm("save-connection", partner, {
        secretKey: "",
        hmacSecret: "",
        defaultNonprofit: "",
      }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(decryptCredentials((await findConnection(shop))!)).toMatchObject({
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    });
    expect(adminApi.callsTo(shop, "DeleteWidgetMetafields")).toHaveLength(1);
    expect(adminApi.metafields(shop)["sir_rewards.default_nonprofit"]).toBeUndefined();
  });

  it("refuses a default nonprofit SIR does not list, on its field", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    const result = await submit(
      shop,
      connectionForm("save-connection", partner, { defaultNonprofit: "no-such-cause" }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: { defaultNonprofit: expect.stringMatching(/^SIR lists no nonprofit called/) },
    });
    expect(await findConnection(shop)).toBeNull();
  });

  it("saves the keys but says so when Shopify refuses the widget's metafields", async () => {
    const partner = await createSandboxPartner(sandbox.url);
    const shop = uniqueShop();
    adminApi.answerNextWith("SetWidgetMetafields", {
      data: {
        metafieldsSet: {
          metafields: null,
          userErrors: [{ field: ["metafields"], message: "Too many metafields", code: "INVALID" }],
        },
      },
    });
    const result = await submit(shop, connectionForm("save-connection", partner));
    expect(result).toMatchObject({
      ok: true,
      widgetWarning:
        "Your keys are saved, but the storefront donate widget could not be set up: Shopify did not save the storefront widget settings: Too many metafields. Save again to retry.",
    });
    expect(await findConnection(shop)).not.toBeNull();
  });
});

describe("earning rules", () => {
  it("puts each validation message on its field and saves nothing", async () => {
    const shop = uniqueShop();
    const result = await submit(shop, {
      intent: "save-rules",
      includeShipping: "true",
      minimumOrderAmount: "-5",
      excludedCustomerTags: "x".repeat(300),
    });
    expect(result).toMatchObject({
      intent: "save-rules",
      ok: false,
      errors: {
        minimumOrderAmount:
          "Minimum order amount must be a positive amount like 25.00, or empty for no minimum.",
        excludedCustomerTags: expect.stringMatching(/is too long/),
      },
    });
    expect((await getEarningRules(shop)).includeShipping).toBe(false);
  });

  it("saves valid rules", async () => {
    const shop = uniqueShop();
    const result = await submit(shop, {
      intent: "save-rules",
      includeShipping: "true",
      includeTax: "false",
      includePosOrders: "false",
      rewardTestOrders: "true",
      minimumOrderAmount: "25.00",
      excludedCustomerTags: "wholesale, staff",
      excludedProductTags: "",
    });
    expect(result).toEqual({ intent: "save-rules", ok: true });
    expect(await getEarningRules(shop)).toEqual({
      includeShipping: true,
      includeTax: false,
      includePosOrders: false,
      rewardTestOrders: true,
      minimumOrderAmount: "25.00",
      excludedCustomerTags: ["wholesale", "staff"],
      excludedProductTags: [],
    });
    // The shopper estimate follows the saved rules at once.
    expect(JSON.parse(adminApi.metafields(shop)["$app.reward_estimate"].value)).toMatchObject({
      includeShipping: true,
      minimumOrderMinor: "2500",
      excludedProductTags: [],
    });
  });
});

afterAll(() => db.$disconnect());
