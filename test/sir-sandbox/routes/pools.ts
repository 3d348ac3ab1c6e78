/** Token pools and allocation requests. A sandbox partner has exactly one pool. */
import { isoNow } from "../context";
import { notFound } from "../errors";
import { newObjectId } from "../ids";
import { describePool } from "../ledger";
import type { Route } from "../router";
import type { PoolRequest } from "../state";
import { optionalString, requiredInteger } from "../validation";

export const poolRoutes: Route[] = [
  {
    method: "GET",
    path: "token-pools",
    auth: "hmac",
    scope: "pools:read",
    handle: ({ context, partner }) => ({
      status: 200,
      body: { pools: [describePool(context.state.pools.get(partner.defaultPoolId)!)] },
    }),
  },
  {
    method: "GET",
    path: "token-pools/requests",
    auth: "hmac",
    scope: "pools:read",
    handle: ({ context, partner }) => ({
      status: 200,
      body: {
        requests: partner.poolRequestIds.map((id) =>
          describePoolRequest(context.state.poolRequests.get(id)!),
        ),
      },
    }),
  },
  {
    method: "GET",
    path: "token-pools/:poolId/balance",
    auth: "hmac",
    scope: "pools:read",
    handle: ({ context, partner, params }) => {
      const pool = context.state.pools.get(params.poolId);
      if (pool?.partnerId !== partner.id) throw notFound(`Token pool ${params.poolId} not found`);
      const { id: poolId, availableBalance, totalAllocated, lowBalanceThreshold } = pool;
      return {
        status: 200,
        body: { poolId, availableBalance, totalAllocated, lowBalanceThreshold },
      };
    },
  },
  {
    method: "POST",
    path: "token-pools/request",
    auth: "hmac",
    scope: "pools:write",
    handle: ({ context, partner, body }) => {
      const { fields } = body();
      const request: PoolRequest = {
        id: newObjectId(),
        partnerId: partner.id,
        poolId: partner.defaultPoolId,
        amount: requiredInteger(fields, "amount", 1, Number.MAX_SAFE_INTEGER),
        reason: optionalString(fields, "reason", 1000),
        status: "PENDING",
        createdAt: isoNow(context),
      };
      context.state.poolRequests.set(request.id, request);
      partner.poolRequestIds.push(request.id);
      return { status: 201, body: { requestId: request.id, status: request.status } };
    },
  },
];

export function describePoolRequest(request: PoolRequest) {
  const { id, poolId, amount, reason, status, createdAt } = request;
  return { id, requestId: id, tokenPoolId: poolId, amount, reason, status, createdAt };
}
