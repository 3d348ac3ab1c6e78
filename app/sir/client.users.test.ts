// The users calls the customer account reads: balance and transactions, against the SIR sandbox
// (its users/:id/transactions is the ASSUMED shape) and a server answering other shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { createPartner, type PartnerCredentials } from "../../test/sir-sandbox/test-client";
import { createSirClient, isSirError, type SirClient } from ".";
import { startTestServer } from "./test-server";

let sandbox: Sandbox;
let partner: PartnerCredentials;
let client: SirClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  partner = await createPartner(sandbox.url);
  client = createSirClient({
    baseUrl: sandbox.url,
    publicKey: partner.publicKey,
    secretKey: partner.secretKey,
    hmacSecret: partner.hmacSecret,
  });
});
afterAll(() => sandbox?.close());

const purchase = (key: string, amount: string, partnerUserId: string) =>
  client.submitAction({
    idempotencyKey: key,
    actionType: "PURCHASE",
    amount,
    currency: "USD",
    stakeholders: [{ stakeholderTypeCode: "CUSTOMER", partnerUserId }],
    autoCreateUsers: true,
  });

describe("users", () => {
  it("reads a user's balance, debt and transactions, newest first", async () => {
    const first = await purchase("u-1", "40.00", "email:ada@example.com");
    await purchase("u-2", "10.00", "email:ada@example.com");
    await purchase("u-3", "99.00", "someone-else");
    await client.reverseAction(first.action.actionId, {
      reversalPercentage: "50",
      reason: "refund",
      refundIdempotencyKey: "u-1-refund",
    });

    expect(await client.getUserBalance("email:ada@example.com")).toMatchObject({
      partnerUserId: "email:ada@example.com",
      balance: 30,
      debt: 0,
    });
    const transactions = await client.listUserTransactions("email:ada@example.com");
    expect(transactions.map(({ type, tokens, actionId }) => [type, tokens, actionId])).toEqual(
      expect.arrayContaining([
        ["REVERSAL", 20, first.action.actionId],
        ["EARN", 10, expect.any(String)],
        ["EARN", 40, first.action.actionId],
      ]),
    );
    expect(transactions).toHaveLength(3);
    const times = transactions.map((transaction) => transaction.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("answers 404 for a user SIR does not know", async () => {
    const error = await client.getUserBalance("nobody").catch((caught: unknown) => caught);
    expect(isSirError(error) && error.status).toBe(404);
  });

  it("reads other list spellings and drops unreadable entries; an unreadable answer throws", async () => {
    let body: unknown = [
      { _id: "t1", type: "EARN", amount: 5, actionId: "a1", createdAt: "2026-11-01T00:00:00Z" },
      { id: "t2", type: "REVERSAL", tokens: -2, actionId: "a1" },
      { id: "t3", tokens: 1 },
      { id: "t4", type: "EARN", tokens: 1.5 },
    ];
    const server = await startTestServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    });
    try {
      const other = createSirClient({
        baseUrl: server.baseUrl,
        publicKey: "pk_test_x",
        secretKey: "sk_test_x",
        hmacSecret: "hmac_x",
        retry: { maxAttempts: 1 },
      });
      expect(await other.listUserTransactions("u")).toMatchObject([
        { id: "t1", type: "EARN", tokens: 5, actionId: "a1" },
        { id: "t2", type: "REVERSAL", tokens: 2, actionId: "a1", createdAt: "" },
      ]);
      body = { users: [] };
      await expect(other.listUserTransactions("u")).rejects.toMatchObject({ code: "SERVER" });
      body = { partnerUserId: "u" };
      await expect(other.getUserBalance("u")).rejects.toMatchObject({ code: "SERVER" });
    } finally {
      await server.close();
    }
  });
});
