import { Session } from "@shopify/shopify-api";

/** An online (per-user) Shopify session of `shop`, with the associated user Shopify sends. */
export function onlineSession(
  shop: string,
  { id, state, accessToken }: { id: string; state: string; accessToken: string },
): Session {
  return new Session({
    id,
    shop,
    state,
    isOnline: true,
    scope: "read_orders",
    expires: new Date(Date.now() + 3_600_000),
    accessToken,
    onlineAccessInfo: {
      expires_in: 3600,
      associated_user_scope: "read_orders",
      associated_user: {
        id: 902541635,
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
        email_verified: true,
        account_owner: true,
        locale: "en",
        collaborator: false,
      },
    },
  });
}
