// The shopper endpoints (SHOPPER_API in app/shopper/contract.ts), behind the session token check
// (session.server.ts): rate-limited per customer, JSON answers with CORS, never a 5xx for a
// platform outage (answers.server.ts turns it into "on their way").
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ACCOUNT_UNAVAILABLE, DELAYED_REWARD, accountFor, orderRewardFor } from "./answers.server";
import { authenticateShopper, unauthorized, withCors, type ShopperSession } from "./session.server";
import { TokenBuckets } from "./throttle.server";
import { logger } from "../logger.server";

const log = logger.child({ component: "shopper-api" });

/** Requests per customer per minute, across both endpoints (a burst of 30, then one per 2 s). */
export const SHOPPER_RATE_LIMIT = 30;
const limiter = new TokenBuckets(SHOPPER_RATE_LIMIT, 60_000);

/** For tests. */
export function resetShopperRateLimit() {
  limiter.clear();
}

function json(session: ShopperSession, body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  // Per shopper and short-lived: no shared cache may keep it.
  headers.set("Cache-Control", "private, no-store");
  return session.cors(new Response(JSON.stringify(body), { ...init, headers }));
}

async function shopperEndpoint<T>(
  request: Request,
  answer: (session: ShopperSession) => Promise<T>,
  { requireCustomer, unavailable }: { requireCustomer: boolean; unavailable: T },
): Promise<Response> {
  let session: ShopperSession;
  try {
    session = await authenticateShopper(request);
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown;
    // The token was fine but the shop could not be looked up (the database): try again soon.
    log.error("shopper session check failed", { error: String(thrown) });
    throw withCors(
      request,
      new Response(JSON.stringify({ error: "unavailable" }), {
        status: 503,
        headers: { "Content-Type": "application/json", "Retry-After": "30" },
      }),
    );
  }
  if (!session.customerId) {
    if (requireCustomer) throw unauthorized(request);
    // A guest's answer is a constant (no verified link to any order), read from nothing.
    return json(session, await answer(session));
  }
  const key = `${session.shop}\n${session.customerId}`;
  const decision = limiter.take(key);
  if (!decision.allowed) {
    return json(
      session,
      { error: "rate_limited" },
      { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds) } },
    );
  }
  try {
    return json(session, await answer(session));
  } catch (error) {
    // The ledger itself is unreachable: the shopper still reads "on their way", not an error.
    log.error("shopper answer failed", { shop: session.shop, error: String(error) });
    return json(session, unavailable);
  }
}

export function orderRewardLoader({ request, params }: LoaderFunctionArgs) {
  return shopperEndpoint(
    request,
    (session) => orderRewardFor(session.shop, session.customerId, params.orderId),
    { requireCustomer: false, unavailable: DELAYED_REWARD },
  );
}

export function accountLoader({ request }: LoaderFunctionArgs) {
  return shopperEndpoint(request, (session) => accountFor(session.shop, session.customerId!), {
    requireCustomer: true,
    unavailable: ACCOUNT_UNAVAILABLE,
  });
}

/**
 * Remix sends every method but GET and HEAD to the action: the CORS preflight (OPTIONS) is
 * answered by the session check (204 with CORS headers); anything else is not allowed.
 */
export async function shopperAction({ request }: ActionFunctionArgs) {
  const session = await authenticateShopper(request);
  return json(session, { error: "method_not_allowed" }, { status: 405, headers: { Allow: "GET" } });
}
