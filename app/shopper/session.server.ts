// Who is asking: the session token of a checkout (thank-you) or customer account (order status,
// profile, page) UI extension. shopify-app-remix checks the signature (HS256 with the app
// secret), `exp` and `nbf` (10 s leeway) and answers the CORS preflight; both its
// authenticate.public.checkout and .customerAccount do exactly that and skip the audience, so
// this also requires `aud` = the app's API key, `dest` = a shop that has the app installed, and
// reads the customer from `sub`. Every refusal is the same bare 401, with CORS headers so the
// extension can read it, and says nothing about why.
import { authenticate } from "../shopify.server";
import { config } from "../config.server";
import { db, type Database } from "../db.server";
import { findShop } from "../models/Shop.server";

export type ShopperSession = {
  shop: string;
  /** Numeric Shopify customer id from `sub`; null for a guest's checkout token. */
  customerId: string | null;
  /** Adds the extension origins' CORS headers to a response. */
  cors: (response: Response) => Response;
};

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/([1-9]\d{0,19})$/;
/** Headers the extension may read on our answers (the library exposes only its reauth header). */
const EXPOSED = "Retry-After";

/** `dest` as checkout and customer account tokens carry it ("shop.myshopify.com"), or as a URL. */
export function shopFromDest(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const host = dest.startsWith("https://") ? dest.slice("https://".length) : dest;
  const shop = host.replace(/\/$/, "").toLowerCase();
  return SHOP_DOMAIN.test(shop) ? shop : null;
}

export function customerFromSub(sub: unknown): string | null {
  if (typeof sub !== "string") return null;
  return CUSTOMER_GID.exec(sub)?.[1] ?? null;
}

/** CORS for the extension origins: they run on Shopify's origins, with a bearer token, no cookies. */
export function withCors(request: Request, response: Response): Response {
  if (request.headers.get("Origin")) {
    response.headers.set("Access-Control-Allow-Origin", "*");
    response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
    response.headers.set("Access-Control-Expose-Headers", EXPOSED);
  }
  response.headers.set("Vary", "Origin");
  return response;
}

export function unauthorized(request: Request): Response {
  return withCors(
    request,
    new Response(JSON.stringify({ error: "unauthorized" }), {
      status: 401,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
    }),
  );
}

/**
 * The shopper behind a request, or throws the response to send: the preflight's 204 (with CORS),
 * a bot's 410, or 401 for anything wrong with the token or its shop.
 */
export async function authenticateShopper(
  request: Request,
  database: Database = db,
): Promise<ShopperSession> {
  let sessionToken: Record<string, unknown>;
  let cors: (response: Response) => Response;
  try {
    // checkout and customerAccount are the same check in shopify-app-remix 6 (see above).
    ({ sessionToken, cors } = (await authenticate.public.customerAccount(request)) as unknown as {
      sessionToken: Record<string, unknown>;
      cors: (response: Response) => Response;
    });
  } catch (thrown) {
    if (thrown instanceof Response && (thrown.status === 204 || thrown.status === 410)) {
      if (thrown.status === 204) {
        thrown.headers.set("Access-Control-Expose-Headers", EXPOSED);
        thrown.headers.set("Access-Control-Allow-Methods", "GET, OPTIONS");
      }
      throw thrown;
    }
    if (thrown instanceof Response) throw unauthorized(request);
    throw thrown;
  }
  const shop = shopFromDest(sessionToken.dest);
  if (sessionToken.aud !== config.shopifyApiKey || !shop) throw unauthorized(request);
  const installed = await findShop(shop, database);
  if (!installed || installed.uninstalledAt) throw unauthorized(request);
  return {
    shop,
    customerId: customerFromSub(sessionToken.sub),
    cors: (response) => withCors(request, cors(response)),
  };
}
