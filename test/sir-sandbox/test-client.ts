/** HTTP helpers for the sandbox tests: raw requests (exact path and body bytes), signing, control API. */
import http from "node:http";
import { signPartnerRequest } from "./test-signing";

export interface PartnerCredentials {
  partnerId: string;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  scopes: string[];
  poolId: string;
  campaignId: string | null;
  webhooks: { id: string; url: string; secret: string }[];
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // Tests read arbitrary response fields; the assertions check their values.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** Sends exactly the given method, path and body bytes (fetch would normalise the path). */
export function rawRequest(
  baseUrl: string,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body ?? "";
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        hostname,
        port,
        method: request.method,
        path: request.path,
        agent: false,
        headers: { ...request.headers, "Content-Length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          if ((response.headers["content-type"] ?? "").includes("application/json") && text) {
            json = JSON.parse(text);
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

export const unixSeconds = (ms = Date.now()) => String(Math.floor(ms / 1000));

/** A correctly signed request; body objects are serialised once and those bytes are signed. */
export function signedRequest(
  baseUrl: string,
  credentials: Pick<PartnerCredentials, "secretKey" | "hmacSecret">,
  method: string,
  path: string,
  body?: unknown,
  options: { timestamp?: string; partnerKey?: string } = {},
): Promise<RawResponse> {
  const rawBody = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? unixSeconds();
  const signature = signPartnerRequest({
    hmacSecret: credentials.hmacSecret,
    timestamp,
    method,
    pathWithQuery: path,
    body: rawBody,
  });
  return rawRequest(baseUrl, {
    method,
    path,
    body: rawBody,
    headers: {
      "X-Partner-Key": options.partnerKey ?? credentials.secretKey,
      "X-Timestamp": timestamp,
      "X-Signature": signature,
      ...(rawBody ? { "Content-Type": "application/json" } : {}),
    },
  });
}

export function widgetRequest(
  baseUrl: string,
  partnerKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawResponse> {
  return rawRequest(baseUrl, {
    method,
    path,
    body: body === undefined ? "" : JSON.stringify(body),
    headers: {
      "X-Partner-Key": partnerKey,
      "Content-Type": "application/json",
      Origin: "https://shop.example",
    },
  });
}

export function control(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawResponse> {
  return rawRequest(baseUrl, {
    method,
    path: `/__sandbox/${path}`,
    body: body === undefined ? "" : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
}

export async function createPartner(
  baseUrl: string,
  spec: Record<string, unknown> = {},
): Promise<PartnerCredentials> {
  const response = await control(baseUrl, "POST", "partners", spec);
  if (response.status !== 201) {
    throw new Error(`Creating a partner failed: ${response.status} ${response.text}`);
  }
  return response.json as PartnerCredentials;
}

export function purchase(
  idempotencyKey: string,
  amount: number | string,
  overrides: Record<string, unknown> = {},
) {
  return {
    idempotencyKey,
    actionType: "PURCHASE",
    amount,
    currency: "USD",
    stakeholders: [
      { stakeholderTypeCode: "CUSTOMER", partnerUserId: "user_42", userEmail: "jane@example.com" },
    ],
    autoCreateUsers: true,
    ...overrides,
  };
}

/** The body text of a purchase with the amount written verbatim (e.g. "1e2", "49.990"). */
export function purchaseWithRawAmount(
  idempotencyKey: string,
  amountText: string,
  currency = "USD",
): string {
  return JSON.stringify(purchase(idempotencyKey, 0, { currency })).replace(
    '"amount":0',
    `"amount":${amountText}`,
  );
}
