import { randomUUID } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Database } from "../../app/db.server";
import { orderIdempotencyKey } from "../../app/models/Reward.server";
import type { SandboxPartner } from "../helpers/pipeline";
import { TEST_SHOP_COOKIE } from "./fake-shopify.server";

export const uniqueShop = () => `admin-${randomUUID().slice(0, 8)}.myshopify.com`;

/** The cookie that signs a shop in to the fake authenticate.admin. */
export const shopCookie = (shop: string) => `${TEST_SHOP_COOKIE}=${encodeURIComponent(shop)}`;

type FormFields = Record<string, string | string[]>;

/** A request from the embedded admin, signed in as `shop`; a POST when `form` is given. */
export function adminRequest(shop: string, path: string, form?: FormFields): Request {
  const url = new URL(path, "https://sir-rewards.test");
  const headers = new Headers({ Cookie: shopCookie(shop) });
  if (!form) return new Request(url, { headers });
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return new Request(url, { method: "POST", headers, body });
}

/** Calls a route's loader or action as Remix would, and returns its data. */
export function callRoute<T>(
  handler: (args: LoaderFunctionArgs) => T,
  request: Request,
  params: Record<string, string> = {},
): T {
  return handler({ request, params, context: {} });
}

/** A new SIR partner in the sandbox (control API), with its keys, pool and campaign. */
export async function createSandboxPartner(
  sandboxUrl: string,
  spec: Record<string, unknown> = {},
): Promise<SandboxPartner> {
  const response = await fetch(new URL("/__sandbox/partners", sandboxUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Admin Test Partner", ...spec }),
  });
  if (!response.ok) throw new Error(`sandbox partner: ${response.status}`);
  return (await response.json()) as SandboxPartner;
}

export type SeedReward = {
  orderNumber: number;
  status: string;
  createdAt: Date;
  tokensDistributed?: number | null;
  tokensReversed?: number;
  debt?: number;
  lastError?: string | null;
  rewardedAt?: Date | null;
};

/** Ledger rows as the pipeline writes them, for pages that only read the ledger. */
export async function seedRewards(database: Database, shop: string, rewards: SeedReward[]) {
  await database.reward.createMany({
    data: rewards.map((reward) => {
      const orderId = String(5_000_000_000_000 + reward.orderNumber);
      return {
        shopDomain: shop,
        orderId,
        orderName: `#${reward.orderNumber}`,
        currency: "USD",
        basisMinor: 2500n,
        amount: "25.00",
        status: reward.status,
        workPending: false,
        idempotencyKey: orderIdempotencyKey(shop, orderId),
        partnerUserId: "customer-1",
        tokensDistributed: reward.tokensDistributed ?? null,
        tokensReversed: reward.tokensReversed ?? 0,
        debt: reward.debt ?? 0,
        lastError: reward.lastError ?? null,
        rewardedAt: reward.rewardedAt ?? null,
        createdAt: reward.createdAt,
      };
    }),
  });
}

export const orderIdFor = (orderNumber: number) => String(5_000_000_000_000 + orderNumber);

/** Stores a connection straight into the model, as a save would, without registering webhooks. */
export async function connectToSandbox(
  database: Database,
  shop: string,
  apiUrl: string,
  partner: SandboxPartner,
) {
  const { saveConnection } = await import("../../app/models/ProviderConnection.server");
  await saveConnection(
    {
      shopDomain: shop,
      environment: "sandbox",
      apiUrl,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    },
    database,
  );
}
