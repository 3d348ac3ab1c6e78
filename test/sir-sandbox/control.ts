/**
 * The control API under /__sandbox/: NOT part of SIR's surface. JSON, no auth. Tests and the
 * demo use it to provision partners, inject faults, simulate users spending tokens, and read
 * what the sandbox received and sent.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "./context";
import { SirApiError, notFound, validationError } from "./errors";
import { mergeBehaviour } from "./behaviour";
import { describeFaults, mergeFaults, noFaults } from "./faults";
import { readRawBody, sendError, sendJson } from "./http";
import { creditPool, describeAction, describePool } from "./ledger";
import { createKeyPair, createPartner } from "./partners";
import { parseRateLimitConfig } from "./rate-limit";
import { Router } from "./router";
import { describePoolRequest } from "./routes/pools";
import { findUser } from "./routes/users";
import type { TokenPool } from "./state";
import { parseJsonBody, requiredInteger, requiredString, type Fields } from "./validation";
import { describeDelivery } from "./webhooks";

export const CONTROL_PREFIX = "/__sandbox/";

interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  fields: Fields;
}

interface ControlRoute {
  method: "GET" | "POST" | "DELETE";
  path: string;
  handle(request: ControlRequest): { status: number; body: unknown };
}

export function createControlHandler(context: SandboxContext, reset: () => void) {
  const { state } = context;

  const findPool = (poolId: string): TokenPool => {
    const pool = state.pools.get(poolId);
    if (!pool) throw notFound(`Token pool ${poolId} not found`);
    return pool;
  };

  const refill = (pool: TokenPool, amount: number) => {
    pool.totalAllocated += amount;
    creditPool(pool, amount);
    context.webhooks.emit(pool.partnerId, "token_pool.refilled", () => ({
      ...describePool(pool),
      amount,
    }));
  };

  const decidePoolRequest = (requestId: string, approve: boolean) => {
    const request = state.poolRequests.get(requestId);
    if (!request) throw notFound(`Pool request ${requestId} not found`);
    if (request.status !== "PENDING") {
      throw validationError(`Pool request ${requestId} is ${request.status}`);
    }
    request.status = approve ? "APPROVED" : "REJECTED";
    const type = approve ? "token_pool_request.approved" : "token_pool_request.rejected";
    context.webhooks.emit(request.partnerId, type, () => describePoolRequest(request));
    if (approve) refill(findPool(request.poolId), request.amount);
    return { status: 200, body: describePoolRequest(request) };
  };

  const router = new Router<ControlRoute>([
    { method: "GET", path: "health", handle: () => ({ status: 200, body: { ok: true } }) },
    {
      method: "POST",
      path: "partners",
      handle: ({ fields }) => ({ status: 201, body: createPartner(context, fields) }),
    },
    {
      method: "POST",
      path: "partners/:partnerId/keys",
      handle: ({ params, fields }) => {
        const partner = state.partners.get(params.partnerId);
        if (!partner) throw notFound(`Partner ${params.partnerId} not found`);
        const pair = createKeyPair(context, partner, fields);
        const { publicKey, secretKey, hmacSecret } = pair;
        const body = {
          partnerId: partner.id,
          publicKey,
          secretKey,
          hmacSecret,
          scopes: [...pair.scopes],
        };
        return { status: 201, body };
      },
    },
    {
      method: "POST",
      path: "reset",
      handle: () => {
        reset();
        return { status: 200, body: { reset: true } };
      },
    },
    {
      method: "GET",
      path: "faults",
      handle: () => ({ status: 200, body: describeFaults(state.faults) }),
    },
    {
      method: "POST",
      path: "faults",
      handle: ({ fields }) => {
        // Validate on a copy so a bad field changes nothing.
        const merged = structuredClone(state.faults);
        mergeFaults(merged, fields);
        state.faults = merged;
        return { status: 200, body: describeFaults(state.faults) };
      },
    },
    {
      method: "DELETE",
      path: "faults",
      handle: () => {
        state.faults = noFaults();
        return { status: 200, body: describeFaults(state.faults) };
      },
    },
    { method: "GET", path: "behaviour", handle: () => ({ status: 200, body: state.behaviour }) },
    {
      method: "POST",
      path: "behaviour",
      // Merged; a bad field changes nothing.
      handle: ({ fields }) => {
        state.behaviour = mergeBehaviour(state.behaviour, fields);
        return { status: 200, body: state.behaviour };
      },
    },
    {
      method: "POST",
      path: "rate-limit",
      handle: ({ fields }) => {
        state.rateLimit = parseRateLimitConfig(fields);
        state.rateLimitWindows.clear();
        return { status: 200, body: state.rateLimit };
      },
    },
    {
      method: "POST",
      path: "users/:partnerUserId/spend",
      handle: ({ params, fields }) => {
        const partner = state.partners.get(requiredString(fields, "partnerId"));
        if (!partner) throw notFound(`Partner ${String(fields.partnerId)} not found`);
        const user = findUser(partner, params.partnerUserId);
        const tokens = requiredInteger(fields, "tokens", 1, Number.MAX_SAFE_INTEGER);
        // Spending stops at a zero balance; the response says how much was actually spent.
        const spent = Math.min(tokens, user.balance);
        user.balance -= spent;
        return {
          status: 200,
          body: {
            partnerUserId: user.partnerUserId,
            spent,
            balance: user.balance,
            debt: user.debt,
          },
        };
      },
    },
    {
      method: "POST",
      path: "pools/:poolId/refill",
      handle: ({ params, fields }) => {
        const pool = findPool(params.poolId);
        refill(pool, requiredInteger(fields, "amount", 1, Number.MAX_SAFE_INTEGER));
        return { status: 200, body: describePool(pool) };
      },
    },
    {
      method: "POST",
      path: "pools/:poolId/set-balance",
      handle: ({ params, fields }) => {
        const pool = findPool(params.poolId);
        pool.availableBalance = requiredInteger(
          fields,
          "availableBalance",
          0,
          Number.MAX_SAFE_INTEGER,
        );
        // A manual set re-arms token_pool.low_balance: the next submit below the threshold fires it.
        pool.lowBalanceNotified = false;
        return { status: 200, body: describePool(pool) };
      },
    },
    {
      method: "POST",
      path: "pool-requests/:requestId/approve",
      handle: ({ params }) => decidePoolRequest(params.requestId, true),
    },
    {
      method: "POST",
      path: "pool-requests/:requestId/reject",
      handle: ({ params }) => decidePoolRequest(params.requestId, false),
    },
    {
      method: "GET",
      path: "requests",
      handle: () => ({ status: 200, body: { requests: state.requestLog } }),
    },
    {
      method: "GET",
      path: "actions",
      handle: ({ query }) => {
        const partnerId = query.get("partnerId");
        const actions = [...state.actions.values()]
          .filter((action) => partnerId === null || action.partnerId === partnerId)
          .map((action) => ({ partnerId: action.partnerId, ...describeAction(action) }));
        return { status: 200, body: { actions } };
      },
    },
    {
      method: "GET",
      path: "webhook-deliveries",
      handle: () => {
        const deliveries = [...state.deliveries.values()].map((delivery) => ({
          ...describeDelivery(delivery),
          body: delivery.body,
        }));
        return { status: 200, body: { deliveries } };
      },
    },
  ]);

  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    try {
      const rawBody = await readRawBody(request);
      const match = router.match(
        request.method ?? "GET",
        url.pathname.slice(CONTROL_PREFIX.length),
      );
      if (!match) throw notFound(`Cannot ${request.method} ${url.pathname}`);
      const fields = rawBody.length === 0 ? {} : parseJsonBody(rawBody).fields;
      const result = match.route.handle({ params: match.params, query: url.searchParams, fields });
      sendJson(response, result.status, result.body);
    } catch (error) {
      if (!(error instanceof SirApiError)) throw error;
      sendError(response, error);
    }
  };
}
