import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createSirClient, type SirClientOptions } from "./client";
import { SirError } from "./errors";
import { refusedBaseUrl, startTestServer, type TestServer } from "./test-server";
import type { SubmitActionInput } from "./types";

// Distinctive values: any of them appearing in an error or a log line is a leak.
const SECRET_KEY = "sk_test_LEAKCHECKsecretkey5f3a9c1e7b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f";
const PUBLIC_KEY = "pk_test_LEAKCHECKpublickey9e8d7c6b5a4f3e2d1c0b";
const HMAC_SECRET = "hmacLEAKCHECK0123456789abcdef0123456789abcdef0123456789abcdef01";
const SECRETS = [SECRET_KEY, PUBLIC_KEY, HMAC_SECRET];

const SUBMIT: SubmitActionInput = {
  idempotencyKey: "order_1",
  actionType: "PURCHASE",
  amount: "10.00",
  currency: "USD",
  stakeholders: [{ stakeholderTypeCode: "CUSTOMER", partnerUserId: "u1" }],
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A badly behaved server that echoes every credential it can find into its error bodies. */
function leakyBody(headers: Record<string, unknown>): Record<string, unknown> {
  const everything = `${JSON.stringify(headers)} hmac=${HMAC_SECRET}`;
  return {
    statusCode: 0,
    code: `BAD_KEY ${everything}`,
    error: everything,
    message: [`key ${String(headers["x-partner-key"])}`, everything],
  };
}

async function leakyServer(status: number, extraHeaders: Record<string, string> = {}) {
  const server = await startTestServer((request, response: ServerResponse) => {
    response.writeHead(status, { "Content-Type": "application/json", ...extraHeaders });
    response.end(JSON.stringify({ ...leakyBody(request.headers), statusCode: status }));
  });
  servers.push(server);
  return server.baseUrl;
}

function client(baseUrl: string, overrides: Partial<SirClientOptions> = {}) {
  const logged: unknown[] = [];
  const log = (fields: Record<string, unknown>, message: string) =>
    logged.push({ fields, message });
  const sir = createSirClient({
    baseUrl,
    publicKey: PUBLIC_KEY,
    secretKey: SECRET_KEY,
    hmacSecret: HMAC_SECRET,
    timeoutMs: 50,
    sleep: async () => undefined,
    random: () => 0,
    logger: { debug: log, info: log, warn: log },
    ...overrides,
  });
  return { sir, logged };
}

async function failure(promise: Promise<unknown>): Promise<SirError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SirError);
    return error as SirError;
  }
  throw new Error("expected the call to fail");
}

function expectNoSecrets(label: string, error: SirError, logged: unknown[]) {
  const surfaces = {
    message: error.message,
    stack: error.stack ?? "",
    inspected: inspect(error, { depth: 10, showHidden: true }),
    json: JSON.stringify(error),
    logs: JSON.stringify(logged),
  };
  for (const [surface, text] of Object.entries(surfaces)) {
    for (const secret of SECRETS) {
      expect(text.includes(secret), `${label}: secret in ${surface}`).toBe(false);
    }
  }
}

describe("no key or secret ever appears in errors or logs", () => {
  it.each([400, 401, 402, 403, 404, 409, 422, 500, 503])(
    "HTTP %i with a body echoing the credentials",
    async (status) => {
      const { sir, logged } = client(await leakyServer(status));
      const error = await failure(sir.submitAction(SUBMIT));
      expect(error.status).toBe(status);
      expect(error.message).toContain("[redacted]");
      expectNoSecrets(`submit ${status}`, error, logged);

      const widget = await failure(sir.getDonationStatus("pd1"));
      expectNoSecrets(`widget ${status}`, widget, logged);
    },
  );

  it("HTTP 429 with a long Retry-After", async () => {
    const { sir, logged } = client(await leakyServer(429, { "Retry-After": "600" }));
    const error = await failure(sir.listWebhooks());
    expect(error.code).toBe("RATE_LIMITED");
    expectNoSecrets("429", error, logged);
  });

  it("an HTML error page and a success of the wrong shape", async () => {
    const server = await startTestServer((request, response) => {
      const echoed = `<html>${JSON.stringify(request.headers)} ${HMAC_SECRET}</html>`;
      response.writeHead(request.url.endsWith("/config") ? 200 : 502, {
        "Content-Type": "text/html",
      });
      response.end(request.url.endsWith("/config") ? JSON.stringify({ echoed }) : echoed);
    });
    servers.push(server);
    const { sir, logged } = client(server.baseUrl);
    expectNoSecrets("html", await failure(sir.listTokenPools()), logged);
    expectNoSecrets("shape", await failure(sir.getPartnerConfig()), logged);
  });

  it("a bulk item whose error echoes the credentials", async () => {
    const server = await startTestServer((request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({
          results: [
            { index: 0, status: 401, idempotencyKey: "order_1", error: leakyBody(request.headers) },
          ],
        }),
      );
    });
    servers.push(server);
    const { sir, logged } = client(server.baseUrl);
    const { items } = await sir.submitBulk([SUBMIT]);
    const item = items[0];
    expect(item.ok).toBe(false);
    if (!item.ok) expectNoSecrets("bulk item", item.error, logged);
  });

  it("timeouts and refused connections", async () => {
    const hanging = await startTestServer(() => undefined);
    servers.push(hanging);
    const slow = client(hanging.baseUrl);
    expectNoSecrets("timeout", await failure(slow.sir.getAction("a1")), slow.logged);

    const refused = client(await refusedBaseUrl());
    const error = await failure(
      refused.sir.createDonationLink({
        nonprofitSlug: "red-cross",
        amountCents: 100,
        currency: "USD",
        frequency: "once",
        provider: "stripe",
        donorEmail: "a@b.c",
        firstName: "A",
        lastName: "B",
      }),
    );
    expect(error.code).toBe("NETWORK");
    expectNoSecrets("refused", error, refused.logged);
  });

  it("configuration and input errors, including a secret passed as an id", async () => {
    const baseUrl = await leakyServer(200);
    const cases: Array<
      [
        string,
        Partial<SirClientOptions>,
        (sir: ReturnType<typeof client>["sir"]) => Promise<unknown>,
      ]
    > = [
      ["no secret key", { secretKey: undefined }, (sir) => sir.submitAction(SUBMIT)],
      ["pk as secret key", { secretKey: PUBLIC_KEY }, (sir) => sir.listWebhooks()],
      ["sk as public key", { publicKey: SECRET_KEY }, (sir) => sir.getPartnerConfig()],
      ["bad amount", {}, (sir) => sir.submitAction({ ...SUBMIT, amount: HMAC_SECRET })],
      ["secret as id", {}, (sir) => sir.getAction(SECRET_KEY)],
      ["hmac as id", {}, (sir) => sir.getTokenPoolBalance(HMAC_SECRET)],
    ];
    for (const [label, overrides, call] of cases) {
      const { sir, logged } = client(baseUrl, overrides);
      expectNoSecrets(label, await failure(call(sir)), logged);
    }
  });

  it("an exhausted rate-limit window", async () => {
    const server = await startTestServer((_request, response) => {
      response.writeHead(200, {
        "Content-Type": "application/json",
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "3600",
      });
      response.end("[]");
    });
    servers.push(server);
    const { sir, logged } = client(server.baseUrl);
    await sir.listTokenPools();
    const error = await failure(sir.listTokenPools());
    expect(error.code).toBe("RATE_LIMITED");
    expectNoSecrets("window", error, logged);
  });
});
