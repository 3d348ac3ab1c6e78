// Tags of the products in an order, for the merchant's product-tag exclusions.
export const PRODUCT_TAGS_QUERY = `#graphql
  query ProductTags($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        tags
      }
    }
  }
`;

export type ProductTagsResponse = {
  data?: { nodes: Array<{ id: string; tags: string[] } | null> };
};
