/**
 * Contract: the SIR client against the SIR sandbox, authentication. Signing, clock skew, which
 * key goes where (pk_ widget vs sk_ secret endpoints) and scopes, per docs/sir-partner-api.md.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildSignedHeaders, createSirClient, unixSecondsString } from "../../app/sir";
import {
  ContractSandbox,
  clientFor,
  purchase,
  rawRequest,
  sirErrorFrom,
  type SandboxPartner,
} from "./contract-helpers";

const MINUTE_MS = 60_000;

let sandbox: ContractSandbox;
let partner: SandboxPartner;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  partner = await sandbox.createPartner({ poolBalance: 10_000 });
});

const balancePath = () => `/v1/partner/token-pools/${partner.poolId}/balance`;

describe("signature accepted", () => {
  it("a signed read and a signed write succeed and are recorded", async () => {
    const { client } = clientFor(sandbox.url, partner);

    expect((await client.getTokenPoolBalance(partner.poolId)).availableBalance).toBe(10_000);
    const { action, replayed } = await client.submitAction(purchase("sig-ok", "12.34"));
    expect(replayed).toBe(false);
    expect(action).toMatchObject({
      idempotencyKey: "sig-ok",
      status: "COMPLETED",
      tokensDistributed: 12,
    });
    expect((await client.getTokenPoolBalance(partner.poolId)).availableBalance).toBe(9_988);

    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map(({ method, path, status }) => [method, path, status])).toEqual([
      ["GET", balancePath(), 200],
      ["POST", "/v1/partner/actions/submit", 200],
      ["GET", balancePath(), 200],
    ]);
    const recorded = await sandbox.actions(partner.partnerId);
    expect(recorded.map((item) => item.actionId)).toEqual([action.actionId]);
  });

  it("a legacy key pair without an HMAC secret signs with the sk_ value", async () => {
    const legacy = await sandbox.createPartner({ hmacSecret: null, poolBalance: 500 });
    expect(legacy.hmacSecret).toBeNull();
    const { client } = clientFor(sandbox.url, { secretKey: legacy.secretKey });

    const { action } = await client.submitAction(purchase("legacy-1", "5.00"));
    expect(action.tokensDistributed).toBe(5);
    expect((await client.getTokenPoolBalance(legacy.poolId)).availableBalance).toBe(495);
  });

  it("a wrong HMAC secret → SirError UNAUTHORIZED (401), not retried, nothing recorded", async () => {
    const wrong = { ...partner, hmacSecret: randomBytes(32).toString("hex") };
    const { client, sleeps } = clientFor(sandbox.url, wrong);

    const write = await sirErrorFrom(client.submitAction(purchase("sig-bad", "10.00")));
    expect(write).toMatchObject({ code: "UNAUTHORIZED", status: 401, retryable: false });
    const read = await sirErrorFrom(client.getTokenPoolBalance(partner.poolId));
    expect(read).toMatchObject({ code: "UNAUTHORIZED", status: 401 });

    expect(sleeps).toEqual([]);
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map(({ path, status }) => [path, status])).toEqual([
      ["/v1/partner/actions/submit", 401],
      [balancePath(), 401],
    ]);
    expect(await sandbox.actions(partner.partnerId)).toEqual([]);
    // The secret itself never leaks into the error.
    expect(write.message).not.toContain(wrong.hmacSecret);
    expect(write.message).not.toContain(partner.secretKey);
  });
});

describe("clock skew (the server rejects more than 5 minutes)", () => {
  it.each([
    ["ahead", 6],
    ["behind", -6],
  ])(
    "a client clock 6 minutes %s → 401 UNAUTHORIZED, nothing recorded",
    async (_label, minutes) => {
      const { client } = clientFor(sandbox.url, partner, {
        now: () => Date.now() + minutes * MINUTE_MS,
      });
      const error = await sirErrorFrom(client.submitAction(purchase("skew-6", "10.00")));
      expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, retryable: false });
      expect((await sandbox.arrivals(partner.secretKey)).map((item) => item.status)).toEqual([401]);
      expect(await sandbox.actions(partner.partnerId)).toEqual([]);
    },
  );

  it.each([
    ["ahead", 4],
    ["behind", -4],
  ])("a client clock 4 minutes %s is accepted", async (_label, minutes) => {
    const { client } = clientFor(sandbox.url, partner, {
      now: () => Date.now() + minutes * MINUTE_MS,
    });
    const { action } = await client.submitAction(purchase("skew-4", "10.00"));
    expect(action.tokensDistributed).toBe(10);
    expect((await sandbox.arrivals(partner.secretKey)).map((item) => item.status)).toEqual([200]);
    const recorded = await sandbox.actions(partner.partnerId);
    expect(recorded.map((item) => item.actionId)).toEqual([action.actionId]);
  });
});

describe("publishable (pk_) vs secret (sk_) keys", () => {
  it("config, organization, create-link and status work with only the publishable key", async () => {
    const tipConfig = { enabled: true, defaultPercent: 15 };
    const widgetPartner = await sandbox.createPartner({ tipConfig });
    const { client } = clientFor(sandbox.url, { publicKey: widgetPartner.publicKey });

    const config = await client.getPartnerConfig();
    expect(config).toMatchObject({
      id: widgetPartner.partnerId,
      enabledFeatures: ["DONATIONS", "ACTIONS"],
      isActive: true,
      tipConfig,
    });
    const organization = await client.getOrganization("american-red-cross");
    expect(organization).toMatchObject({
      name: "American Red Cross",
      ein: "53-0196605",
      status: "ACTIVE",
    });
    expect(organization.logo).toMatch(/^data:image\/svg\+xml,/);
    const link = await client.createDonationLink({
      nonprofitSlug: "american-red-cross",
      amountCents: 1500,
      currency: "USD",
      frequency: "once",
      provider: "stripe",
      donorEmail: "donor@example.com",
      firstName: "Grace",
      lastName: "Hopper",
    });
    const status = await client.getDonationStatus(link.partnerDonationId);
    expect(status).toMatchObject({ status: "PENDING", amount: 1500, tokensDistributed: 0 });

    const arrivals = await sandbox.arrivals(widgetPartner.publicKey);
    expect(arrivals.map(({ method, status }) => [method, status])).toEqual([
      ["GET", 200],
      ["GET", 200],
      ["POST", 201],
      ["GET", 200],
    ]);
    expect(await sandbox.arrivals(widgetPartner.secretKey)).toEqual([]);
  });

  it("the client validates key prefixes locally and sends nothing with the wrong key type", async () => {
    const widgetOnly = clientFor(sandbox.url, { publicKey: partner.publicKey }).client;
    const pkAsSecret = createSirClient({
      baseUrl: sandbox.url,
      secretKey: partner.publicKey,
      hmacSecret: partner.hmacSecret,
    });
    const secretOnly = clientFor(sandbox.url, {
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    }).client;

    const refusals = [
      await sirErrorFrom(widgetOnly.getTokenPoolBalance(partner.poolId)),
      await sirErrorFrom(widgetOnly.submitAction(purchase("pk-submit", "10.00"))),
      await sirErrorFrom(pkAsSecret.submitAction(purchase("pk-as-sk", "10.00"))),
      await sirErrorFrom(secretOnly.getPartnerConfig()),
    ];
    for (const error of refusals) {
      expect(error).toMatchObject({ code: "VALIDATION", status: null, retryable: false });
    }
    expect(await sandbox.arrivals(partner.publicKey)).toEqual([]);
    expect(await sandbox.arrivals(partner.secretKey)).toEqual([]);
  });

  it("the sandbox answers 403 to a pk_ on secret endpoints, even correctly signed", async () => {
    const signed = (method: "GET" | "POST", path: string, body = "") =>
      buildSignedHeaders({
        partnerKey: partner.publicKey,
        hmacSecret: partner.hmacSecret,
        timestamp: unixSecondsString(Date.now()),
        method,
        pathWithQuery: path,
        body,
      });
    const read = await rawRequest(sandbox.url, "GET", balancePath(), signed("GET", balancePath()));
    expect(read.status).toBe(403);
    expect(read.json).toMatchObject({ statusCode: 403, code: "INSUFFICIENT_SCOPE" });

    const body = JSON.stringify({ ...purchase("raw-pk", "10.00"), amount: 10 });
    const path = "/v1/partner/actions/submit";
    const write = await rawRequest(sandbox.url, "POST", path, signed("POST", path, body), body);
    expect(write.status).toBe(403);
    expect(await sandbox.actions(partner.partnerId)).toEqual([]);

    // And the other way round: an sk_ does not belong on a widget endpoint.
    const config = await rawRequest(sandbox.url, "GET", "/v1/partner/config", {
      "X-Partner-Key": partner.secretKey,
    });
    expect(config.status).toBe(403);
  });
});

describe("scope actions:reverse", () => {
  it("a key without it → INSUFFICIENT_SCOPE (403) from reverseAction, not retried", async () => {
    const full = clientFor(sandbox.url, partner).client;
    const { action } = await full.submitAction(purchase("scope-1", "30.00"));
    const limited = await sandbox.createKeys(partner.partnerId, ["actions:write", "actions:read"]);
    expect(limited.scopes).not.toContain("actions:reverse");
    const { client, sleeps } = clientFor(sandbox.url, limited, { retry: { maxAttempts: 4 } });
    const reversal = {
      reversalPercentage: "100",
      reason: "refund",
      refundIdempotencyKey: "refund-scope-1",
    };

    const error = await sirErrorFrom(client.reverseAction(action.actionId, reversal));
    expect(error).toMatchObject({ code: "INSUFFICIENT_SCOPE", status: 403, retryable: false });
    expect(sleeps).toEqual([]);
    const arrivals = await sandbox.arrivals(limited.secretKey);
    expect(arrivals.map(({ method, path, status }) => [method, path, status])).toEqual([
      ["POST", `/v1/partner/actions/${action.actionId}/reverse`, 403],
    ]);
    const [recorded] = await sandbox.actions(partner.partnerId);
    expect(recorded).toMatchObject({ tokensReversed: 0, reversals: [] });

    // The same reversal with the full key goes through, so the 403 was the scope.
    const allowed = await full.reverseAction(action.actionId, reversal);
    expect(allowed.reversal.tokensClawedBack).toBe(30);
  });
});
