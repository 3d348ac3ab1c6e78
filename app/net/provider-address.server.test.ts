import { describe, expect, it, vi } from "vitest";
import {
  addressPolicy,
  checkProviderAddress,
  guardedFetch,
  refusedAddress,
  type LookupAll,
} from "./provider-address.server";

// A resolver that knows a few names, as a stub of dns.lookup({ all: true }).
const names: Record<string, string[]> = {
  "api.sirgiving.org": ["104.18.1.1"],
  "devapi.sirgiving.org": ["104.18.1.2"],
  "sir.partner.example": ["93.184.216.34"],
  "intranet.example": ["93.184.216.35", "10.20.30.40"],
  "metadata.example": ["169.254.169.254"],
  "mapped.example": ["::ffff:127.0.0.1"],
  "sandbox.example": ["10.0.0.9"],
};
const lookup: LookupAll = async (host) => {
  const found = names[host];
  if (!found)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

const production = (allowed?: string) =>
  addressPolicy(
    {
      NODE_ENV: "production",
      ...(allowed === undefined ? {} : { PROVIDER_ALLOWED_HOSTS: allowed }),
    },
    lookup,
  );
const development = (allowed?: string) =>
  addressPolicy(
    {
      NODE_ENV: "development",
      ...(allowed === undefined ? {} : { PROVIDER_ALLOWED_HOSTS: allowed }),
    },
    lookup,
  );

async function refusal(url: string, policy = production()) {
  const check = await checkProviderAddress(url, policy);
  if (check.ok) throw new Error(`${url} was accepted`);
  return check.message;
}

describe("API address rules", () => {
  it("accepts SIR's documented hosts in production", async () => {
    for (const url of ["https://api.sirgiving.org", "https://devapi.sirgiving.org"]) {
      expect(await checkProviderAddress(url, production())).toMatchObject({ ok: true });
    }
  });

  it("refuses a host that is not documented in production, unless the operator allows it", async () => {
    expect(await refusal("https://sir.partner.example")).toBe(
      "The app only calls SIR's documented hosts (api.sirgiving.org, devapi.sirgiving.org), not sir.partner.example. Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.",
    );
    expect(
      await checkProviderAddress("https://sir.partner.example", production("sir.partner.example")),
    ).toMatchObject({ ok: true });
  });

  it("refuses loopback, in any spelling", async () => {
    for (const url of [
      "http://127.0.0.1:4010",
      "https://127.0.0.1",
      "https://127.1.2.3:8443",
      "https://[::1]:4010",
    ]) {
      expect(await refusal(url)).toMatch(
        /^The API address .* points at this server itself \(a loopback address\), which the app does not call\./,
      );
    }
    // also outside production once the operator's allowance is set without it
    expect(await refusal("https://127.0.0.1:4010", development("sandbox.example"))).toMatch(
      /loopback/,
    );
  });

  it("refuses private, shared and unspecified addresses", async () => {
    expect(await refusal("https://10.1.2.3")).toBe(
      "The API address https://10.1.2.3 points at a private network address, which the app does not call. Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.",
    );
    expect(await refusal("https://192.168.1.10")).toMatch(/private network/);
    expect(await refusal("https://172.20.0.1")).toMatch(/private network/);
    expect(await refusal("https://100.64.0.1")).toMatch(/carrier-grade NAT/);
    expect(await refusal("https://0.0.0.0:4010")).toMatch(/unspecified address/);
    expect(await refusal("https://[fd00::1]")).toMatch(/private network/);
    expect(await refusal("https://[fe80::1]")).toMatch(/link-local/);
    expect(await refusal("https://[::ffff:10.0.0.1]")).toMatch(/IPv4-mapped/);
  });

  it("refuses the cloud metadata address", async () => {
    expect(await refusal("http://169.254.169.254")).toBe(
      "The API address http://169.254.169.254 points at a link-local address, where cloud servers answer with their own credentials (169.254.169.254 is the metadata service), which the app does not call. Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.",
    );
  });

  it("refuses a name that resolves to a private address, even among public ones", async () => {
    const policy = development();
    expect(await refusal("https://intranet.example", policy)).toBe(
      "The API address's host intranet.example resolves to 10.20.30.40, a private network address, which the app does not call. Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.",
    );
    expect(await refusal("https://metadata.example", policy)).toMatch(
      /resolves to 169\.254\.169\.254/,
    );
    expect(await refusal("https://mapped.example", policy)).toMatch(/IPv4-mapped/);
  });

  it("refuses a name DNS does not know, and plain http to a host the operator did not allow", async () => {
    expect(await refusal("https://nowhere.example", development())).toMatch(
      /host nowhere\.example could not be found/,
    );
    expect(await refusal("http://sir.partner.example", development())).toMatch(
      /must be an https:\/\/ address/,
    );
  });

  it("lets the operator allow an exact host and port, over http too, even on a private address", async () => {
    const policy = production("127.0.0.1:4010, sandbox.example");
    expect(await checkProviderAddress("http://127.0.0.1:4010", policy)).toMatchObject({ ok: true });
    expect(await refusal("http://127.0.0.1:4011", policy)).toMatch(/loopback/);
    expect(await checkProviderAddress("https://sandbox.example:9443", policy)).toMatchObject({
      ok: true,
    });
  });

  it("outside production keeps today's behaviour: any public https host, and this machine's sandbox", async () => {
    const policy = development();
    expect(await checkProviderAddress("https://sir.partner.example", policy)).toMatchObject({
      ok: true,
    });
    expect(await checkProviderAddress("http://127.0.0.1:4010", policy)).toMatchObject({ ok: true });
    expect(await checkProviderAddress("http://localhost:4010", policy)).toMatchObject({ ok: true });
    expect(await refusal("http://10.0.0.1:4010", policy)).toMatch(/private network/);
  });

  it("classifies addresses", () => {
    expect(refusedAddress("8.8.8.8")).toBeNull();
    expect(refusedAddress("2606:4700::1111")).toBeNull();
    expect(refusedAddress("127.0.0.1")?.kind).toBe("loopback");
    expect(refusedAddress("169.254.169.254")?.kind).toBe("link-local");
    expect(refusedAddress("::ffff:8.8.8.8")?.kind).toBe("ipv4-mapped");
  });
});

describe("guarded fetch", () => {
  it("re-checks the address at each request and sends nothing to a refused one", async () => {
    const inner = vi.fn(async () => new Response("{}"));
    let current = ["93.184.216.34"];
    const rebinding: LookupAll = async () => current.map((address) => ({ address, family: 4 }));
    const guarded = guardedFetch(inner as unknown as typeof fetch, () =>
      addressPolicy({ NODE_ENV: "development" }, rebinding),
    );
    await guarded("https://sir.partner.example/v1/partner/config");
    expect(inner).toHaveBeenCalledTimes(1);
    current = ["10.0.0.7"];
    await expect(guarded("https://sir.partner.example/v1/partner/config")).rejects.toThrow(
      /resolves to 10\.0\.0\.7/,
    );
    expect(inner).toHaveBeenCalledTimes(1);
  });
});
