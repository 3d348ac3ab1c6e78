// Removes widget settings the merchant cleared (metafieldsSet refuses blank values).
export const DELETE_WIDGET_METAFIELDS_MUTATION = `#graphql
  mutation DeleteWidgetMetafields($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        namespace
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export type MetafieldIdentifierInput = { ownerId: string; namespace: string; key: string };

export type DeleteWidgetMetafieldsData = {
  metafieldsDelete: {
    deletedMetafields: Array<{ namespace: string; key: string } | null> | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  };
};
