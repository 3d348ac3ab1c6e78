/**
 * Contract: every ASSUMED behaviour of SIR (app/sir/assumptions.ts) against a sandbox switched
 * to do the other plausible thing (test/sir-sandbox/behaviour.ts). Each degrades, none fails.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSirProvider } from "../../app/providers/sir/sir-provider.server";
import { ProviderError, type PurchaseRequest } from "../../app/rewards/provider.server";
import { donationIdFromReturnUrl, parseSirWebhookEnvelope } from "../../app/sir";
import {
  ContractSandbox,
  clientFor,
  purchase,
  startReceiver,
  type SandboxPartner,
  type TestClient,
} from "./contract-helpers";

let sandbox: ContractSandbox;
let partner: SandboxPartner;
let sir: TestClient;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());
afterEach(async () => {
  await sandbox.request("POST", "reset");
});
beforeEach(async () => {
  partner = await sandbox.createPartner({ poolBalance: 1_000_000 });
  sir = clientFor(sandbox.url, partner);
});

const behave = (behaviour: Record<string, unknown>) =>
  sandbox.request("POST", "behaviour", behaviour);

const purchaseRequest = (n: number): PurchaseRequest => ({
  idempotencyKey: `shopify:contract:order:${n}`,
  amount: `${n + 1}.00`,
  currency: "USD",
  customer: { partnerUserId: `customer-${n % 3}`, email: null, firstName: null, lastName: null },
  metadata: { orderId: String(n) },
});

describe("bulk: a SIR without the assumed bulk endpoint or shape", () => {
  it("noBulk: 404 as an unknown route → sent one by one under the same keys, each once", async () => {
    await behave({ noBulk: true });
    const provider = createSirProvider(sir.client);
    const requests = Array.from({ length: 12 }, (_, n) => purchaseRequest(n));

    const { outcomes, batching } = await provider.submitPurchases(requests);

    expect(batching).toBe("batching_unavailable");
    expect(outcomes.filter((outcome) => outcome instanceof ProviderError)).toEqual([]);
    expect(
      outcomes.map((outcome) => !(outcome instanceof ProviderError) && outcome.replayed),
    ).toEqual(requests.map(() => false));
    const actions = await sandbox.actions(partner.partnerId);
    expect(actions.map((action) => action.idempotencyKey).sort()).toEqual(
      requests.map((request) => request.idempotencyKey).sort(),
    );
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(
      arrivals.filter((request) => request.path.endsWith("/bulk")).map((r) => r.status),
    ).toEqual([404]);
    expect(arrivals.filter((request) => request.path.endsWith("/submit"))).toHaveLength(12);
  });

  it("batch: false sends one by one without trying bulk", async () => {
    const provider = createSirProvider(sir.client);
    const { batching } = await provider.submitPurchases([purchaseRequest(0)], { batch: false });
    expect(batching).toBe("one_by_one");
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map((request) => request.path)).toEqual(["/v1/partner/actions/submit"]);
  });

  it("bulkResponse job: 202 without per-item results → singles replay what bulk recorded, no double", async () => {
    await behave({ bulkResponse: "job" });
    const provider = createSirProvider(sir.client);
    const requests = Array.from({ length: 5 }, (_, n) => purchaseRequest(n));

    const { outcomes, batching } = await provider.submitPurchases(requests);

    expect(batching).toBe("batching_unavailable");
    // SIR dedupes on the idempotency key: each single submit is the bulk item's replay.
    expect(
      outcomes.map((outcome) =>
        outcome instanceof ProviderError
          ? outcome.message
          : [outcome.replayed, outcome.tokensDistributed],
      ),
    ).toEqual(requests.map((_, n) => [true, n + 1]));
    expect(await sandbox.actions(partner.partnerId)).toHaveLength(5);
    const pool = await sir.client.getTokenPoolBalance(partner.poolId);
    expect(pool.availableBalance).toBe(1_000_000 - (1 + 2 + 3 + 4 + 5));
  });

  it("with bulk on, the assumed shape is used: one call, per-item results", async () => {
    const provider = createSirProvider(sir.client);
    const { batching, outcomes } = await provider.submitPurchases([
      purchaseRequest(0),
      purchaseRequest(1),
    ]);
    expect(batching).toBe("batched");
    expect(outcomes.every((outcome) => !(outcome instanceof ProviderError))).toBe(true);
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map((request) => request.path)).toEqual(["/v1/partner/actions/bulk"]);
  });
});

describe("error bodies in another plausible shape (text, HTML, {errors: [...]})", () => {
  it.each(["text", "html", "errors-array"] as const)(
    "errorBody %s: 402 parks, a bad key is the credentials, an unknown action is invalid",
    async (errorBody) => {
      await behave({ errorBody });
      const provider = createSirProvider(sir.client);

      await sandbox.setFaults({ force402: { count: 1 } });
      const empty = await provider.submitPurchase(purchaseRequest(0)).catch((error) => error);
      expect(empty).toMatchObject({ kind: "pool_empty" });

      const wrongKey = createSirProvider(
        clientFor(sandbox.url, { ...partner, hmacSecret: "0".repeat(64) }).client,
      );
      const refused = await wrongKey.submitPurchase(purchaseRequest(1)).catch((error) => error);
      expect(refused).toMatchObject({ kind: "permanent" });
      expect(refused.message).toMatch(/^SIR refused the app's credentials/);

      const unknown = await provider
        .reversePurchase({
          actionId: "act_does_not_exist",
          percent: "10.00",
          reason: "refund",
          idempotencyKey: "refund-x",
        })
        .catch((error) => error);
      expect(unknown).toMatchObject({ kind: "permanent" });
      expect(unknown.message).toMatch(/^SIR refused the request as invalid/);

      await sandbox.setFaults({ force429: { count: 1, retryAfterSeconds: 1 } });
      const limited = await sir.client.getTokenPoolBalance(partner.poolId);
      expect(limited.availableBalance).toBe(1_000_000);
      expect(sir.sleeps).toContain(1_000);
    },
  );

  it("plain text is kept as the detail of the error", async () => {
    await behave({ errorBody: "text" });
    const error = await sir.client
      .reverseAction("act_nope", {
        reversalPercentage: "5",
        reason: "x",
        refundIdempotencyKey: "rk",
      })
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: "VALIDATION", status: 404 });
    expect(error.message).toContain("Action act_nope not found");
  });
});

describe("403 for a bad signature, as a NestJS guard answers (badSignatureStatus 403)", () => {
  it("a bad signature and a missing scope alike get a sentence naming both causes, permanent", async () => {
    await behave({ badSignatureStatus: 403 });
    const wrongKey = createSirProvider(
      clientFor(sandbox.url, { ...partner, hmacSecret: "0".repeat(64) }).client,
    );
    const refused = await wrongKey.submitPurchase(purchaseRequest(0)).catch((error) => error);
    expect(refused).toMatchObject({ kind: "permanent" });
    expect(refused.message).toMatch(/^SIR refused the app's keys \(HTTP 403 without saying why\)/);
    expect(refused.message).toMatch(/HMAC secret/);
    expect(refused.message).toMatch(/actions:reverse/);
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map((request) => request.status)).toEqual([403]);
  });
});

describe("webhook envelope with other field names (webhookEnvelope alternate)", () => {
  it("the app's envelope reader takes the delivery, the same id on every attempt", async () => {
    const receiver = await startReceiver([500]);
    try {
      await behave({ webhookEnvelope: "alternate" });
      await sir.client.registerWebhook({
        url: receiver.url,
        eventTypes: ["action.completed"],
        receiveAllEvents: false,
      });
      await sir.client.submitAction(purchase("order-envelope", "10.00"));
      const [first, second] = await receiver.waitForDeliveries(2, 10_000);
      const parsed = [first, second].map((delivery) => parseSirWebhookEnvelope(delivery.rawBody));
      expect(JSON.parse(first.rawBody)).toHaveProperty("eventId");
      expect(parsed[0]).toMatchObject({
        type: "action.completed",
        data: { actionId: expect.any(String) },
      });
      expect(parsed[0]!.id).toMatch(/^evt_/);
      expect(parsed[1]!.id).toBe(parsed[0]!.id);
    } finally {
      await receiver.close();
    }
  }, 20_000);
});

describe("donation return URL (donationReturnUrl ignored / no-param)", () => {
  const createLink = () =>
    sir.client.createDonationLink({
      nonprofitSlug: "american-red-cross",
      amountCents: 2_500,
      currency: "USD",
      frequency: "once",
      provider: "stripe",
      donorEmail: "donor@example.com",
      firstName: "Dora",
      lastName: "Donor",
      returnUrl: "https://shop.example/pages/thanks?from=widget",
    });
  const pay = (link: string) => fetch(`${link}/pay`, { method: "POST", redirect: "manual" });

  it("honoured (ASSUMED): 303 back with sir_donation_id", async () => {
    const { donationLink, partnerDonationId } = await createLink();
    const response = await pay(donationLink);
    expect(response.status).toBe(303);
    expect(donationIdFromReturnUrl(response.headers.get("location")!)).toBe(partnerDonationId);
  });

  it("no-param: back without the id, which the app then does not find in the URL", async () => {
    await behave({ donationReturnUrl: "no-param" });
    const { donationLink } = await createLink();
    const response = await pay(donationLink);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("https://shop.example/pages/thanks?from=widget");
    expect(donationIdFromReturnUrl(response.headers.get("location")!)).toBeNull();
  });

  it("ignored: no way back, the result page; the donation's status is still readable by its id", async () => {
    await behave({ donationReturnUrl: "ignored" });
    const { donationLink, partnerDonationId } = await createLink();
    const response = await pay(donationLink);
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    const status = await sir.client.getDonationStatus(partnerDonationId);
    expect(status.status).toBe("COMPLETED");
  });
});

describe("X-RateLimit-Reset as seconds until the reset or as epoch ms (rateLimitReset)", () => {
  const LIMIT = 3;
  const WINDOW_SECONDS = 10;
  const clock = { ms: 0 };
  let limited: ContractSandbox;

  beforeAll(async () => {
    limited = await ContractSandbox.start({
      rateLimit: { limit: LIMIT, windowSeconds: WINDOW_SECONDS },
      now: () => clock.ms,
    });
  });
  afterAll(() => limited?.close());

  it.each(["epoch-seconds", "seconds-until", "epoch-ms"] as const)(
    "%s: at Remaining 0 the client waits exactly for the reset, never longer",
    async (rateLimitReset) => {
      const windowMs = WINDOW_SECONDS * 1000;
      clock.ms = Math.floor(Date.now() / windowMs) * windowMs + 1_000;
      await limited.request("POST", "behaviour", { rateLimitReset });
      const keys = await limited.createPartner();
      const sleeps: number[] = [];
      const { client } = clientFor(limited.url, keys, {
        now: () => clock.ms,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.ms += ms;
        },
      });
      for (let call = 0; call < LIMIT + 1; call += 1) {
        expect((await client.getTokenPoolBalance(keys.poolId)).availableBalance).toBe(1_000_000);
      }
      // 1 s into a 10 s window: 9 s to the reset, whichever way it is written.
      expect(sleeps).toEqual([9_000]);
      const statuses = (await limited.arrivals(keys.secretKey)).map((item) => item.status);
      expect(statuses).toEqual([200, 200, 200, 200]);
    },
  );
});
