import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Which API base URLs the server may send a shop's signed requests to.
//
// A merchant types the address in Settings (or an operator passes --api-url),
// and the server then calls it and shows parts of the answer. In an app hosted
// for many shops that would let any installer probe the host's own network,
// so every address is checked here before the first request:
//
// - an operator allowance (PROVIDER_ALLOWED_HOSTS: "host" or "host:port",
//   comma-separated) lets an exact host (any port, or that port) through,
//   over http too: the local sandbox, a test double, a partner's staging host;
// - in production (NODE_ENV=production) only SIR's documented hosts and the
//   allowance are accepted; elsewhere any public https host, as before, and
//   the allowance defaults to this machine's loopback names (the sandbox);
// - plain http only for an allowed host;
// - the host's addresses (every one DNS gives) must all be public: loopback,
//   private (RFC 1918), CGNAT, link-local (169.254/16, the cloud metadata
//   service), unspecified, multicast and reserved IPv4, and IPv6 loopback,
//   ULA, link-local, multicast and IPv4-mapped addresses are refused unless
//   the host is in the allowance.
//
// guardedFetch repeats the check before each request, so a name that resolved
// to a public address when it was saved and to a private one later (DNS
// rebinding) is refused at the time of the call too.

export const DOCUMENTED_SIR_HOSTS = ["api.sirgiving.org", "devapi.sirgiving.org"];
/** Outside production, when PROVIDER_ALLOWED_HOSTS is not set: the local sandbox. */
export const DEVELOPMENT_ALLOWED_HOSTS = "localhost,127.0.0.1,[::1]";

export type ResolvedAddress = { address: string; family: number };
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export type AllowedHost = { hostname: string; port: string | null };

export type AddressPolicy = {
  production: boolean;
  allowed: AllowedHost[];
  lookup: LookupAll;
};

export type AddressCheck = { ok: true; url: URL } | { ok: false; message: string };

export class ProviderAddressError extends Error {}

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function parseAllowedEntry(entry: string): AllowedHost {
  const url = new URL(`http://${entry}`);
  if (url.pathname !== "/" || url.username || url.search) {
    throw new ProviderAddressError(
      `PROVIDER_ALLOWED_HOSTS entries are host or host:port, not "${entry}".`,
    );
  }
  // new URL drops port 80 for http:; an entry that names it still means it.
  const port = url.port || (/:\d+$/.test(entry) ? entry.replace(/^.*:/, "") : null);
  return { hostname: url.hostname.toLowerCase(), port };
}

export function parseAllowedHosts(raw: string): AllowedHost[] {
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseAllowedEntry);
}

/** The policy from the environment, read at each call (tests change it). */
export function addressPolicy(
  env: Record<string, string | undefined> = process.env,
  lookup: LookupAll = systemLookup,
): AddressPolicy {
  const production = env.NODE_ENV === "production";
  const raw = env.PROVIDER_ALLOWED_HOSTS ?? (production ? "" : DEVELOPMENT_ALLOWED_HOSTS);
  return { production, allowed: parseAllowedHosts(raw), lookup };
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

export function isOperatorAllowed(url: URL, policy: AddressPolicy = addressPolicy()): boolean {
  const hostname = url.hostname.toLowerCase();
  return policy.allowed.some(
    (entry) =>
      entry.hostname === hostname && (entry.port === null || entry.port === effectivePort(url)),
  );
}

type Refusal = { kind: string; sentence: string };

const LOOPBACK: Refusal = { kind: "loopback", sentence: "this server itself (a loopback address)" };
const PRIVATE: Refusal = { kind: "private", sentence: "a private network address" };
const SHARED: Refusal = {
  kind: "shared",
  sentence: "a carrier-grade NAT address (100.64.0.0/10), not a public one",
};
const LINK_LOCAL: Refusal = {
  kind: "link-local",
  sentence:
    "a link-local address, where cloud servers answer with their own credentials (169.254.169.254 is the metadata service)",
};
const UNSPECIFIED: Refusal = {
  kind: "unspecified",
  sentence: "the unspecified address, which reaches this server itself",
};
const RESERVED: Refusal = { kind: "reserved", sentence: "a reserved or multicast address" };
const MAPPED: Refusal = {
  kind: "ipv4-mapped",
  sentence: "an IPv4-mapped IPv6 address, which the app does not call",
};

const ipv4Rules: Array<[string, number, Refusal]> = [
  ["0.0.0.0", 8, UNSPECIFIED],
  ["10.0.0.0", 8, PRIVATE],
  ["100.64.0.0", 10, SHARED],
  ["127.0.0.0", 8, LOOPBACK],
  ["169.254.0.0", 16, LINK_LOCAL],
  ["172.16.0.0", 12, PRIVATE],
  ["192.0.0.0", 24, RESERVED],
  ["192.0.2.0", 24, RESERVED],
  ["192.168.0.0", 16, PRIVATE],
  ["198.18.0.0", 15, RESERVED],
  ["198.51.100.0", 24, RESERVED],
  ["203.0.113.0", 24, RESERVED],
  ["224.0.0.0", 4, RESERVED],
  ["240.0.0.0", 4, RESERVED],
];
const ipv6Rules: Array<[string, number, Refusal]> = [
  ["::", 128, UNSPECIFIED],
  ["::1", 128, LOOPBACK],
  ["::ffff:0:0", 96, MAPPED],
  ["64:ff9b::", 96, MAPPED],
  ["fc00::", 7, PRIVATE],
  ["fe80::", 10, LINK_LOCAL],
  ["fec0::", 10, PRIVATE],
  ["ff00::", 8, RESERVED],
  ["2001:db8::", 32, RESERVED],
];

const blockLists = [...ipv4Rules, ...ipv6Rules].map(([network, prefix, refusal]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, isIP(network) === 6 ? "ipv6" : "ipv4");
  return { list, family: isIP(network) === 6 ? "ipv6" : "ipv4", refusal };
});

/** Why an address may not be called, or null for a public one. */
export function refusedAddress(address: string): Refusal | null {
  const family = isIP(address);
  if (family === 0) return RESERVED;
  // "::ffff:10.0.0.1" written with a dotted tail: the mapped range covers it.
  const type = family === 6 ? "ipv6" : "ipv4";
  for (const rule of blockLists) {
    if (rule.family === type && rule.list.check(address, type)) return rule.refusal;
  }
  return null;
}

function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

const ALLOW_HINT =
  "Leave the API address empty to use SIR's documented host, or ask the app's operator to allow this one.";

/**
 * Decides whether the API base URL may be called. Nothing is sent to it here:
 * only DNS is asked for the host's addresses.
 */
export async function checkProviderAddress(
  apiUrl: string,
  policy: AddressPolicy = addressPolicy(),
): Promise<AddressCheck> {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return {
      ok: false,
      message: "Enter the API address as a full URL, such as https://api.sirgiving.org.",
    };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, message: "The API address must be an https:// address." };
  }
  if (url.username || url.password) {
    return { ok: false, message: "The API address must not carry a user name or password." };
  }
  if (isOperatorAllowed(url, policy)) return { ok: true, url };

  const host = bareHostname(url);
  if (isIP(host)) {
    const refusal = refusedAddress(host);
    if (refusal) {
      return {
        ok: false,
        message: `The API address ${url.origin} points at ${refusal.sentence}, which the app does not call. ${ALLOW_HINT}`,
      };
    }
  }
  if (policy.production && !DOCUMENTED_SIR_HOSTS.includes(url.hostname.toLowerCase())) {
    return {
      ok: false,
      message: `The app only calls SIR's documented hosts (${DOCUMENTED_SIR_HOSTS.join(", ")}), not ${url.host}. ${ALLOW_HINT}`,
    };
  }
  if (url.protocol !== "https:") {
    return {
      ok: false,
      message: `The API address must be an https:// address: keys are never sent to ${url.host} in clear.`,
    };
  }
  if (isIP(host)) return { ok: true, url };

  let addresses: ResolvedAddress[];
  try {
    addresses = await policy.lookup(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    return {
      ok: false,
      message: `The API address's host ${url.hostname} could not be found (DNS has no address for it). Check the API address.`,
    };
  }
  for (const { address } of addresses) {
    const refusal = refusedAddress(address);
    if (refusal) {
      return {
        ok: false,
        message: `The API address's host ${url.hostname} resolves to ${address}, ${refusal.sentence}, which the app does not call. ${ALLOW_HINT}`,
      };
    }
  }
  return { ok: true, url };
}

/** checkProviderAddress, throwing ProviderAddressError with the sentence on refusal. */
export async function assertProviderAddress(
  apiUrl: string,
  policy: AddressPolicy = addressPolicy(),
): Promise<URL> {
  const check = await checkProviderAddress(apiUrl, policy);
  if (!check.ok) throw new ProviderAddressError(check.message);
  return check.url;
}

/**
 * A fetch that checks each request's address first (the SIR client's
 * transport): a refused address fails like an unreachable one, before any
 * byte is sent, and never follows a redirect to another address.
 *
 * The check and the connection resolve the name separately, so a resolver
 * that answers differently within milliseconds could still slip between them;
 * pinning the connection to the checked address needs a custom dispatcher.
 */
export function guardedFetch(
  fetchImpl?: typeof fetch,
  policy: () => AddressPolicy = () => addressPolicy(),
): typeof fetch {
  return async (input, init) => {
    const target = input instanceof Request ? input.url : String(input);
    const check = await checkProviderAddress(target, policy());
    if (!check.ok) throw new ProviderAddressError(check.message);
    return (fetchImpl ?? globalThis.fetch)(input, { ...init, redirect: "manual" });
  };
}

/** Whether the URL is on one of SIR's documented hosts (https), whose answers may be quoted. */
export function isDocumentedHost(apiUrl: string): boolean {
  try {
    const url = new URL(apiUrl);
    return url.protocol === "https:" && DOCUMENTED_SIR_HOSTS.includes(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}
