import { unauthenticated } from "../../shopify.server";
import { PRODUCT_TAGS_QUERY, type ProductTagsResponse } from "../../graphql/ProductTagsQuery";
import { DeferEvent } from "./inbox-event";

export interface ProductTagSource {
  /** Tags per numeric product id (as a string). */
  tagsFor(shopDomain: string, productIds: string[]): Promise<Map<string, string[]>>;
}

// Order webhooks do not carry product tags, so they are read from the Admin
// API, and only for shops that exclude product tags. A failure defers the
// order rather than rewarding it without applying the merchant's exclusions.
export const shopifyProductTags: ProductTagSource = {
  async tagsFor(shopDomain, productIds) {
    const tags = new Map<string, string[]>();
    if (productIds.length === 0) return tags;
    try {
      const { admin } = await unauthenticated.admin(shopDomain);
      const response = await admin.graphql(PRODUCT_TAGS_QUERY, {
        variables: { ids: productIds.map((id) => `gid://shopify/Product/${id}`) },
      });
      const body = (await response.json()) as ProductTagsResponse;
      for (const node of body.data?.nodes ?? []) {
        if (node) tags.set(node.id.split("/").pop()!, node.tags);
      }
      return tags;
    } catch (error) {
      throw new DeferEvent(`Could not read product tags from Shopify: ${String(error)}`);
    }
  },
};
