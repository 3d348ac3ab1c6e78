/**
 * Shared plumbing for the contract tests between the SIR client (app/sir) and the SIR sandbox
 * (test/sir-sandbox): a sandbox with its control API (test/helpers/sandbox-control.ts), client
 * factories with a recording sleep, raw HTTP for what the client will not send, and a local
 * webhook receiver. Everything runs over real HTTP on 127.0.0.1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  SirError,
  createSirClient,
  type SirClient,
  type SirClientOptions,
  type SubmitActionInput,
} from "../../app/sir";
import { SandboxControl, type SandboxPartner } from "../helpers/sandbox-control";
import { startSandbox, type Sandbox, type SandboxOptions } from "../sir-sandbox/server";

export type { SandboxPartner } from "../helpers/sandbox-control";

/** A sandbox started for one test file, driven through its control API. */
export class ContractSandbox extends SandboxControl {
  private constructor(private readonly sandbox: Sandbox) {
    super(sandbox.url);
  }

  static async start(options: SandboxOptions = {}): Promise<ContractSandbox> {
    return new ContractSandbox(await startSandbox({ host: "127.0.0.1", port: 0, ...options }));
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}

export interface TestClient {
  client: SirClient;
  /** Every delay the client asked to sleep (backoff, Retry-After, rate-limit spacing). */
  sleeps: number[];
}

/**
 * The real client pointed at the sandbox. By default its sleep records the delay and returns at
 * once, and its jitter is fixed (random 0.5 → backoff = half the exponential ceiling).
 */
export function clientFor(
  baseUrl: string,
  keys: Partial<Pick<SandboxPartner, "publicKey" | "secretKey" | "hmacSecret">>,
  overrides: Partial<SirClientOptions> = {},
): TestClient {
  const sleeps: number[] = [];
  const client = createSirClient({
    baseUrl,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    hmacSecret: keys.hmacSecret,
    timeoutMs: 5_000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

export function purchase(
  idempotencyKey: string,
  amount: string,
  partnerUserId = "customer-1",
): SubmitActionInput {
  return {
    idempotencyKey,
    actionType: "PURCHASE",
    amount,
    currency: "USD",
    stakeholders: [
      {
        stakeholderTypeCode: "CUSTOMER",
        partnerUserId,
        userEmail: `${partnerUserId}@example.com`,
        userFirstName: "Ada",
        userLastName: "Lovelace",
      },
    ],
    autoCreateUsers: true,
    metadata: { source: "contract-test" },
  };
}

/** The SirError the call rejects with; fails the test if it resolves or throws anything else. */
export async function sirErrorFrom(call: Promise<unknown>): Promise<SirError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof SirError) return error;
    throw error;
  }
  throw new Error("expected the call to reject with a SirError, but it resolved");
}

export interface RawResponse {
  status: number;
  headers: Headers;
  // The assertions check the values of whatever fields come back.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** A request the client would refuse to build, sent with fetch exactly as given. */
export async function rawRequest(
  baseUrl: string,
  method: "GET" | "POST",
  pathWithQuery: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  const response = await fetch(new URL(pathWithQuery, baseUrl), { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : null,
  };
}

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  receivedAtMs: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Resolves with the first `count` deliveries once they have arrived. */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

/** A partner-side endpoint on 127.0.0.1: answers `statuses` in order, then 200. */
export async function startReceiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const pending = [...statuses];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      deliveries.push({
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
        receivedAtMs: Date.now(),
      });
      response.writeHead(pending.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/sir`,
    deliveries,
    waitForDeliveries: async (count, timeoutMs = 5_000) => {
      await eventually(() => deliveries.length >= count, {
        timeoutMs,
        what: `${count} webhook deliveries (got ${deliveries.length})`,
      });
      return deliveries.slice(0, count);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `check` returns a truthy value, which it returns. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 5_000, what = "condition" } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
