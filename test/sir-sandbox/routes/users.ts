/** Partner users, keyed by the partner's own id for them (externalId = partnerUserId). */
import { notFound } from "../errors";
import type { Route } from "../router";
import type { Partner, PartnerUser } from "../state";
import { parsePaging } from "../validation";

export const userRoutes: Route[] = [
  {
    method: "GET",
    path: "users",
    auth: "hmac",
    scope: "users:read",
    handle: ({ partner, query }) => {
      const { page, limit } = parsePaging(query);
      const users = [...partner.users.values()].slice((page - 1) * limit, page * limit);
      return {
        status: 200,
        body: { users: users.map(describeUser), total: partner.users.size, page, limit },
      };
    },
  },
  {
    method: "GET",
    path: "users/:externalId",
    auth: "hmac",
    scope: "users:read",
    handle: ({ partner, params }) => ({
      status: 200,
      body: describeUser(findUser(partner, params.externalId)),
    }),
  },
  {
    method: "GET",
    path: "users/:externalId/balance",
    auth: "hmac",
    scope: "users:read",
    handle: ({ partner, params }) => {
      const { partnerUserId, balance, debt } = findUser(partner, params.externalId);
      return { status: 200, body: { partnerUserId, balance, debt } };
    },
  },
  {
    // ASSUMED shape (app/sir/assumptions.ts readUserTransactions): the user's earnings and
    // reversals, newest first, derived from the partner's actions.
    method: "GET",
    path: "users/:externalId/transactions",
    auth: "hmac",
    scope: "users:read",
    handle: ({ context, partner, params, query }) => {
      const user = findUser(partner, params.externalId);
      const { page, limit } = parsePaging(query);
      const transactions: Array<Record<string, unknown>> = [];
      for (const actionId of partner.actionIds) {
        const action = context.state.actions.get(actionId);
        if (!action || action.partnerUserId !== user.partnerUserId) continue;
        transactions.push({
          id: action.response.transactionIds[0] ?? action.id,
          type: "EARN",
          tokens: action.tokensDistributed,
          actionId: action.id,
          idempotencyKey: action.idempotencyKey,
          createdAt: action.createdAt,
        });
        for (const reversal of action.reversals) {
          transactions.push({
            id: reversal.response.reversalTransactionId,
            type: "REVERSAL",
            tokens: reversal.response.breakdown.reduce((sum, item) => sum + item.expected, 0),
            actionId: action.id,
            idempotencyKey: reversal.refundIdempotencyKey,
            createdAt: reversal.createdAt,
          });
        }
      }
      // Newest first (a reversal is listed after its action was, whatever came in between).
      transactions.reverse();
      transactions.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
      return {
        status: 200,
        body: {
          transactions: transactions.slice((page - 1) * limit, page * limit),
          total: transactions.length,
          page,
          limit,
        },
      };
    },
  },
];

export function findUser(partner: Partner, partnerUserId: string): PartnerUser {
  const user = partner.users.get(partnerUserId);
  if (!user) throw notFound(`User ${partnerUserId} not found`);
  return user;
}

function describeUser(user: PartnerUser) {
  const { id, partnerUserId, email, firstName, lastName, balance, debt, createdAt } = user;
  return {
    id,
    partnerUserId,
    externalId: partnerUserId,
    email,
    firstName,
    lastName,
    balance,
    debt,
    createdAt,
  };
}
