import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { db } from "../db.server";
import { findConnection } from "../models/ProviderConnection.server";
import { ConnectionError, connectShop } from "./connect-shop.server";

// DNS, stubbed: names the tests use, each with the addresses a resolver would give.
const names: Record<string, string[]> = {
  "api.sirgiving.org": ["104.18.1.1"],
  "devapi.sirgiving.org": ["104.18.1.2"],
  "sir-staging.partner.example": ["10.1.2.3"],
  "sir.partner.example": ["93.184.216.34"],
};
vi.mock("node:dns/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string) => {
    const found = names[host];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { ...original, default: { ...original, lookup }, lookup };
});

// A merchant-chosen address that answers every request with an error whose
// body must never reach the merchant (nor the operator's terminal).
const BODY_MARKER = "root:x:0:0:internal-service-banner";
let echoServer: Server;
let echoUrl: string;
beforeAll(async () => {
  echoServer = createServer((_request, response) => {
    response.writeHead(418, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ message: BODY_MARKER, error: BODY_MARKER }));
  });
  await new Promise<void>((resolve) => echoServer.listen(0, "127.0.0.1", resolve));
  echoUrl = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => echoServer.close(resolve));
  await db.$disconnect();
});

let fetchSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  fetchSpy = vi.spyOn(globalThis, "fetch");
});
afterEach(() => {
  fetchSpy.mockRestore();
  vi.unstubAllEnvs();
});

const keys = {
  environment: "sandbox" as const,
  publicKey: "pk_test_abc123",
  secretKey: `sk_test_${"ab".repeat(32)}`,
  hmacSecret: "hmac-secret-0123456789",
  appUrl: "https://sir-rewards.test",
};

async function refused(apiUrl: string) {
  const shopDomain = `address-${randomUUID().slice(0, 8)}.myshopify.com`;
  const error = await connectShop({ ...keys, shopDomain, apiUrl }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectionError);
  expect(await findConnection(shopDomain)).toBeNull();
  expect(fetchSpy).not.toHaveBeenCalled();
  return (error as Error).message;
}

describe("connectShop refuses addresses the server may not call, sending and saving nothing", () => {
  beforeEach(() => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("PROVIDER_ALLOWED_HOSTS", "");
  });

  it("loopback", async () => {
    expect(await refused("http://127.0.0.1:4010")).toMatch(
      /^The API address http:\/\/127\.0\.0\.1:4010 points at this server itself \(a loopback address\)/,
    );
    expect(await refused("https://[::1]:4010")).toMatch(/loopback/);
  });

  it("a private 10.x address", async () => {
    expect(await refused("https://10.0.0.5")).toMatch(
      /^The API address https:\/\/10\.0\.0\.5 points at a private network address/,
    );
  });

  it("the cloud metadata address", async () => {
    expect(await refused("http://169.254.169.254")).toMatch(
      /169\.254\.169\.254 is the metadata service/,
    );
  });

  it("a name that resolves to a private address (outside production too)", async () => {
    vi.stubEnv("NODE_ENV", "test");
    expect(await refused("https://sir-staging.partner.example")).toBe(
      "The API address's host sir-staging.partner.example resolves to 10.1.2.3, a private network address, which the app does not call. Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.",
    );
  });

  it("a host the operator has not allowed, in production", async () => {
    expect(await refused("https://sir.partner.example")).toMatch(
      /^The app only calls SIR's documented hosts \(api\.sirgiving\.org, devapi\.sirgiving\.org\), not sir\.partner\.example\./,
    );
  });
});

describe("answers from an address the merchant chose are never echoed", () => {
  it("says what failed without the response body", async () => {
    vi.stubEnv("PROVIDER_ALLOWED_HOSTS", "127.0.0.1");
    const shopDomain = `echo-${randomUUID().slice(0, 8)}.myshopify.com`;
    const error = await connectShop({ ...keys, shopDomain, apiUrl: echoUrl }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe("SIR refused the request (HTTP 418, VALIDATION).");
    expect((error as Error).message).not.toContain(BODY_MARKER);
    expect(await findConnection(shopDomain)).toBeNull();
  });
});
