import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control, createPartner, rawRequest, signedRequest, widgetRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";
import { startWebhookReceiver, type WebhookReceiver } from "./test-webhook-receiver";

// Registered first, so each test's receiver is up when its partner is created.
let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

const sandbox = useSandboxPartner({
  partner: () => ({
    campaignMultiplier: 7,
    tipConfig: { enabled: true, defaultPercent: 10 },
    webhooks: [{ url: receiver.url, eventTypes: ["action.completed", "action.failed"] }],
  }),
});

const donation = (overrides: Record<string, unknown> = {}) => ({
  nonprofitSlug: "american-red-cross",
  amount: 2500,
  currency: "USD",
  frequency: "once",
  provider: "stripe",
  donorEmail: "Jane@Example.com",
  firstName: "Jane",
  lastName: "Doe",
  ...overrides,
});

const createLink = async (overrides: Record<string, unknown> = {}) => {
  const response = await widgetRequest(
    sandbox.url,
    sandbox.partner.publicKey,
    "POST",
    "/v1/partner/donations/create-link",
    donation(overrides),
  );
  expect(response.status).toBe(201);
  return response.json as { donationLink: string; partnerDonationId: string };
};

const checkoutPath = (donationLink: string) => new URL(donationLink).pathname;

const status = async (partnerDonationId: string) =>
  (
    await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "GET",
      `/v1/partner/donations/status/${partnerDonationId}`,
    )
  ).json;

describe("widget endpoints", () => {
  it("answers the CORS preflight of a storefront on another origin", async () => {
    const response = await rawRequest(sandbox.url, {
      method: "OPTIONS",
      path: "/v1/partner/donations/create-link",
      headers: {
        Origin: "https://shop.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-partner-key, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers["access-control-allow-headers"]).toBe("X-Partner-Key, Content-Type");
    expect(response.headers["access-control-allow-methods"]).toContain("POST");
    const secretEndpoint = await rawRequest(sandbox.url, {
      method: "OPTIONS",
      path: "/v1/partner/actions/submit",
    });
    expect(secretEndpoint.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("serves the partner config with CORS headers", async () => {
    const response = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "GET",
      "/v1/partner/config",
    );
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers["access-control-expose-headers"]).toContain("X-RateLimit-Remaining");
    expect(response.json).toMatchObject({
      id: sandbox.partner.partnerId,
      enabledFeatures: ["DONATIONS", "ACTIONS"],
      isActive: true,
      webhookUrl: null,
      tipConfig: { enabled: true, defaultPercent: 10 },
    });
  });

  it("looks up the seeded nonprofits and answers 404 for unknown ones", async () => {
    for (const slug of [
      "american-red-cross",
      "doctors-without-borders",
      "world-wildlife-fund",
      "feeding-america",
    ]) {
      const response = await widgetRequest(
        sandbox.url,
        sandbox.partner.publicKey,
        "GET",
        `/v1/partner/organizations/${slug}`,
      );
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        slug,
        status: "ACTIVE",
        ein: expect.stringMatching(/^\d{2}-\d{7}$/),
      });
      expect(response.json.logoUrl).toMatch(/^data:image\/svg\+xml,/);
    }
    const unknown = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "GET",
      "/v1/partner/organizations/no-such-charity",
    );
    expect(unknown.status).toBe(404);
  });
});

describe("donations", () => {
  it("create-link → checkout page → pay → COMPLETED with tokens, redirect and action.completed", async () => {
    const link = await createLink({ returnUrl: "https://shop.example/pages/thanks?ref=widget" });
    expect(link.donationLink).toBe(`${sandbox.url}/__sandbox/checkout/${link.partnerDonationId}`);
    expect(await status(link.partnerDonationId)).toMatchObject({
      partnerDonationId: link.partnerDonationId,
      status: "PENDING",
      amount: 2500,
      currency: "USD",
      nonprofitSlug: "american-red-cross",
      tokensDistributed: 0,
    });

    const page = await rawRequest(sandbox.url, {
      method: "GET",
      path: checkoutPath(link.donationLink),
    });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.text).toContain("American Red Cross");
    expect(page.text).toContain("$25.00");
    expect(page.text).toContain(">Pay</button>");
    expect(page.text).toContain(">Cancel</button>");

    const paid = await rawRequest(sandbox.url, {
      method: "POST",
      path: `${checkoutPath(link.donationLink)}/pay`,
    });
    expect(paid.status).toBe(303);
    const redirect = new URL(paid.headers.location!);
    expect(redirect.origin + redirect.pathname).toBe("https://shop.example/pages/thanks");
    expect(redirect.searchParams.get("ref")).toBe("widget");
    expect(redirect.searchParams.get("sir_donation_id")).toBe(link.partnerDonationId);

    // $25.00 × the 7X campaign = 175 tokens, as in the documented scenario.
    expect(await status(link.partnerDonationId)).toMatchObject({
      status: "COMPLETED",
      tokensDistributed: 175,
    });
    const donor = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      "/v1/partner/users/jane@example.com/balance",
    );
    expect(donor.json).toEqual({ partnerUserId: "jane@example.com", balance: 175, debt: 0 });
    const [webhook] = await receiver.waitFor(1);
    expect(JSON.parse(webhook.rawBody)).toMatchObject({
      type: "action.completed",
      data: {
        actionType: "DONATION",
        amount: 25,
        tokensDistributed: 175,
        partnerDonationId: link.partnerDonationId,
      },
    });

    // Paying again changes nothing.
    await rawRequest(sandbox.url, {
      method: "POST",
      path: `${checkoutPath(link.donationLink)}/pay`,
    });
    expect((await status(link.partnerDonationId)).tokensDistributed).toBe(175);
  });

  it.each([
    // amount in minor units per ISO 4217 → the checkout's figure, tokens at the 7X campaign
    ["HUF", 123450, "HUF 1,234.50", 1234.5, 8642], // 1234.5 × 7 = 8641.5 → 8642; not 1,234.50 ÷ 100
    ["COP", 500000, "COP 5,000.00", 5000, 35000],
    ["JPY", 5000, "¥5,000", 5000, 35000],
    ["KWD", 12345, "KWD 12.345", 12.345, 86], // 86.415 → 86
    ["IQD", 1234500, "IQD 1,234.500", 1234.5, 8642],
  ])(
    "reads a %s amount in the currency's minor units (%i → %s)",
    async (currency, amount, shown, major, tokens) => {
      const link = await createLink({ currency, amount });
      const page = await rawRequest(sandbox.url, {
        method: "GET",
        path: checkoutPath(link.donationLink),
      });
      expect(page.text.replace(/\u00a0/g, " ")).toContain(shown); // Intl spaces with U+00A0
      await rawRequest(sandbox.url, {
        method: "POST",
        path: `${checkoutPath(link.donationLink)}/pay`,
      });
      expect(await status(link.partnerDonationId)).toMatchObject({
        status: "COMPLETED",
        amount,
        currency,
        tokensDistributed: tokens,
      });
      const [webhook] = await receiver.waitFor(1);
      expect(JSON.parse(webhook.rawBody).data).toMatchObject({ amount: major, currency });
    },
  );

  it.each([
    ["JPY", 0, 1],
    ["JPY", 100_001, 100_000],
    ["KWD", 999, 1000],
    ["KWD", 100_000_001, 100_000_000],
  ])(
    "bounds a %s amount at 1 to 100,000 major units (%i refused, %i taken)",
    async (currency, refused, taken) => {
      const response = await widgetRequest(
        sandbox.url,
        sandbox.partner.publicKey,
        "POST",
        "/v1/partner/donations/create-link",
        donation({ currency, amount: refused }),
      );
      expect(response.status).toBe(400);
      expect(response.json.message).toContain("amount");
      await createLink({ currency, amount: taken });
    },
  );

  it("shows a success page when no returnUrl was given", async () => {
    const link = await createLink();
    const paid = await rawRequest(sandbox.url, {
      method: "POST",
      path: `${checkoutPath(link.donationLink)}/pay`,
    });
    expect(paid.status).toBe(200);
    expect(paid.text).toContain("earned 175 SIR tokens");
  });

  it("marks a cancelled donation FAILED and still redirects with the id", async () => {
    const link = await createLink({ returnUrl: "https://shop.example/thanks" });
    const cancelled = await rawRequest(sandbox.url, {
      method: "POST",
      path: `${checkoutPath(link.donationLink)}/cancel`,
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(
      `https://shop.example/thanks?sir_donation_id=${link.partnerDonationId}`,
    );
    expect(await status(link.partnerDonationId)).toMatchObject({
      status: "FAILED",
      tokensDistributed: 0,
    });
  });

  it("fails the donation and fires action.failed when the pool cannot pay the tokens", async () => {
    await control(sandbox.url, "POST", `pools/${sandbox.partner.poolId}/set-balance`, {
      availableBalance: 10,
    });
    const link = await createLink();
    await rawRequest(sandbox.url, {
      method: "POST",
      path: `${checkoutPath(link.donationLink)}/pay`,
    });
    expect(await status(link.partnerDonationId)).toMatchObject({
      status: "FAILED",
      tokensDistributed: 0,
    });
    const [webhook] = await receiver.waitFor(1);
    expect(JSON.parse(webhook.rawBody)).toMatchObject({
      type: "action.failed",
      data: { partnerDonationId: link.partnerDonationId, reason: { code: "INSUFFICIENT_POOL" } },
    });
  });

  it.each([
    [{ amount: 99 }, "amount"],
    [{ amount: 10_000_001 }, "amount"],
    [{ amount: 25.5 }, "amount"],
    [{ frequency: "weekly" }, "frequency"],
    [{ provider: "paypal" }, "provider"],
    [{ currency: "usd" }, "currency"],
    [{ returnUrl: "javascript:alert(1)" }, "returnUrl"],
  ])("rejects %j with 400 VALIDATION", async (overrides, field) => {
    const response = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "POST",
      "/v1/partner/donations/create-link",
      donation(overrides),
    );
    expect(response.status).toBe(400);
    expect(response.json.message).toContain(field);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
  });

  it("answers 404 for an unknown nonprofit and for another partner's donation", async () => {
    const unknown = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "POST",
      "/v1/partner/donations/create-link",
      donation({ nonprofitSlug: "nope" }),
    );
    expect(unknown.status).toBe(404);
    const link = await createLink();
    const other = await createPartner(sandbox.url);
    const foreign = await widgetRequest(
      sandbox.url,
      other.publicKey,
      "GET",
      `/v1/partner/donations/status/${link.partnerDonationId}`,
    );
    expect(foreign.status).toBe(404);
  });
});
