// Writes the storefront widget's public settings as app-data metafields.
export const SET_WIDGET_METAFIELDS_MUTATION = `#graphql
  mutation SetWidgetMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export type MetafieldsSetInput = {
  ownerId: string;
  namespace: string;
  key: string;
  type: "single_line_text_field" | "boolean" | "json";
  value: string;
};

export type SetWidgetMetafieldsData = {
  metafieldsSet: {
    metafields: Array<{ namespace: string; key: string }> | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
};
