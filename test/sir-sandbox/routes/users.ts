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
