// What the estimate metafield needs from Shopify: its owner (the app installation) and the shop
// currency the earning rules and rewards are in.
export const REWARD_ESTIMATE_CONTEXT_QUERY = `#graphql
  query RewardEstimateContext {
    currentAppInstallation {
      id
    }
    shop {
      currencyCode
    }
  }
`;

export type RewardEstimateContextData = {
  currentAppInstallation: { id: string };
  shop: { currencyCode: string };
};
