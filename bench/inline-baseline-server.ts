/**
 * The baseline for the acknowledgement ratio, run as its own process: what an app without an
 * inbox does. It checks Shopify's HMAC as the app does, then submits the purchase to SIR through
 * the app's real client and only answers Shopify when SIR has answered. Not part of the app.
 *
 * Environment: SHOPIFY_API_SECRET, SIR_URL, SIR_SECRET_KEY, SIR_HMAC_SECRET. Prints
 * {"port": n} once listening on 127.0.0.1.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createSirClient } from "../app/sir";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const shopifySecret = env("SHOPIFY_API_SECRET");
const sir = createSirClient({
  baseUrl: env("SIR_URL"),
  secretKey: env("SIR_SECRET_KEY"),
  hmacSecret: env("SIR_HMAC_SECRET"),
});

function signatureMatches(rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", shopifySecret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type OrderFields = {
  admin_graphql_api_id: string;
  subtotal_price: string;
  currency: string;
  email: string | null;
  customer: { admin_graphql_api_id: string } | null;
};

async function submitInline(rawBody: Buffer, shop: string) {
  const order = JSON.parse(rawBody.toString("utf8")) as OrderFields;
  await sir.submitAction({
    idempotencyKey: `baseline:${shop}:${order.admin_graphql_api_id}`,
    actionType: "PURCHASE",
    amount: order.subtotal_price,
    currency: order.currency,
    stakeholders: [
      {
        stakeholderTypeCode: "CUSTOMER",
        partnerUserId: order.customer?.admin_graphql_api_id ?? order.email ?? "guest",
      },
    ],
    autoCreateUsers: true,
  });
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const rawBody = Buffer.concat(chunks);
    if (!signatureMatches(rawBody, request.headers["x-shopify-hmac-sha256"] as string)) {
      response.writeHead(401).end();
      return;
    }
    const shop = String(request.headers["x-shopify-shop-domain"] ?? "");
    submitInline(rawBody, shop).then(
      () => response.writeHead(200).end(),
      () => response.writeHead(500).end(),
    );
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
