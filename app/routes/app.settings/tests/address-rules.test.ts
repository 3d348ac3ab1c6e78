import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { adminRequest, callRoute, uniqueShop } from "../../../../test/admin/helpers";
import { db } from "../../../db.server";
import { findConnection } from "../../../models/ProviderConnection.server";
import { action } from "../route";

// Shopify's admin authentication, as Shopify's reference apps mock it.
vi.mock("~/shopify.server", () => import("../../../../test/admin/fake-shopify.server"));

// DNS, stubbed: one name that resolves into the host's private network.
vi.mock("node:dns/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:dns/promises")>();
  const names: Record<string, string[]> = {
    "sir-staging.partner.example": ["93.184.216.34", "10.1.2.3"],
    "sir.partner.example": ["93.184.216.34"],
  };
  const lookup = async (host: string) => {
    const found = names[host];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: 4 }));
  };
  return { ...original, default: { ...original, lookup }, lookup };
});

afterAll(() => db.$disconnect());

let fetchSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  // A server hosted for many shops: production, and the operator allows nothing more.
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("PROVIDER_ALLOWED_HOSTS", "");
  fetchSpy = vi.spyOn(globalThis, "fetch");
});
afterEach(() => {
  fetchSpy.mockRestore();
  vi.unstubAllEnvs();
});

const form = (intent: string, apiUrl: string) => ({
  intent,
  environment: "sandbox",
  apiUrl,
  publicKey: "pk_test_abc123",
  secretKey: `sk_test_${"ab".repeat(32)}`,
  hmacSecret: "hmac-secret-0123456789",
  defaultNonprofit: "",
});

const REFUSED: Array<[string, string, RegExp]> = [
  ["loopback", "https://127.0.0.1:4010", /points at this server itself \(a loopback address\)/],
  ["10.x", "https://10.0.0.5", /points at a private network address/],
  [
    "the metadata address",
    "https://169.254.169.254",
    /a link-local address, where cloud servers answer with their own credentials \(169\.254\.169\.254 is the metadata service\)/,
  ],
  [
    "a name resolving to a private address",
    "https://sir-staging.partner.example",
    /host sir-staging\.partner\.example resolves to 10\.1\.2\.3, a private network address/,
  ],
  [
    "a host the operator has not allowed",
    "https://sir.partner.example",
    /^The app only calls SIR's documented hosts \(api\.sirgiving\.org, devapi\.sirgiving\.org\), not sir\.partner\.example\./,
  ],
];

describe("settings refuse API addresses the server may not call", () => {
  for (const [name, apiUrl, sentence] of REFUSED) {
    for (const intent of ["test-connection", "save-connection"]) {
      it(`${intent}: ${name} gets a sentence, no request and nothing saved`, async () => {
        if (name === "a name resolving to a private address") {
          // The DNS rule holds outside production as well.
          vi.stubEnv("NODE_ENV", "development");
        }
        const shop = uniqueShop();
        const result = await callRoute(
          action,
          adminRequest(shop, "/app/settings", form(intent, apiUrl)),
        );
        expect(result).toMatchObject({
          intent,
          ok: false,
          message: expect.stringMatching(sentence),
        });
        expect(fetchSpy).not.toHaveBeenCalled();
        expect(await findConnection(shop)).toBeNull();
      });
    }
  }

  it("refuses plain http to a host the operator has not allowed, on the field", async () => {
    const shop = uniqueShop();
    const result = await callRoute(
      action,
      adminRequest(shop, "/app/settings", form("save-connection", "http://169.254.169.254")),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: { apiUrl: expect.stringMatching(/must be an https:\/\/ address/) },
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await findConnection(shop)).toBeNull();
  });
});

describe("an answer from an address the merchant chose is never shown", () => {
  const BODY_MARKER = "internal-admin-panel-v3.2 root:x:0:0";
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    echo = createServer((_request, response) => {
      response.writeHead(418, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ code: "TEAPOT", message: BODY_MARKER }));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => echo.close(resolve)));

  for (const intent of ["test-connection", "save-connection"]) {
    it(`${intent}: says what failed, not what the address answered`, async () => {
      // The operator allows the address, so requests are sent; the answer is an error.
      vi.stubEnv("PROVIDER_ALLOWED_HOSTS", "127.0.0.1");
      const shop = uniqueShop();
      const result = await callRoute(
        action,
        adminRequest(shop, "/app/settings", form(intent, echoUrl)),
      );
      expect(result).toMatchObject({
        ok: false,
        message: "SIR refused the request (HTTP 418, VALIDATION).",
      });
      expect(JSON.stringify(result)).not.toContain(BODY_MARKER);
      expect(await findConnection(shop)).toBeNull();
    });
  }
});
