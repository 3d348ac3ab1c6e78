import { Badge, BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { ShopperSurfaceLinks } from "../../../shopper/estimate-surfaces.server";

export type ShopperSurfacesCardProps = {
  connected: boolean;
  links: ShopperSurfaceLinks;
};

type Surface = {
  name: string;
  where: string;
  plans: string;
  actions: Array<{ label: string; url: string }>;
};

/**
 * Which shopper surfaces the app offers and where each is switched on. The app knows whether the
 * shop is connected and keeps the estimate current; it cannot see whether the merchant placed a
 * block in a theme, checkout or account page, so each surface says "add it in the editor".
 */
export function ShopperSurfacesCard({ connected, links }: ShopperSurfacesCardProps) {
  const surfaces: Surface[] = [
    {
      name: "Donate block and app embed",
      where: "Storefront: any section, or floating on every page.",
      plans: "Every plan",
      actions: [],
    },
    {
      name: "Token estimate",
      where:
        "Product and cart pages: “Earn ≈ N tokens with this order (estimate)”, from your earning rules and the active SIR campaign.",
      plans: "Every plan",
      actions: [
        { label: "Add to product page", url: links.estimateBlockUrl },
        { label: "Add to cart page", url: links.estimateCartBlockUrl },
      ],
    },
    {
      name: "Checkout estimate",
      where: "In checkout, the same estimate, read from the app's settings without a network call.",
      plans: "Shopify Plus (checkout blocks)",
      actions: [{ label: "Open the checkout editor", url: links.checkoutEditorUrl }],
    },
    {
      name: "Thank-you and order status",
      where: "After paying: the tokens the order earns, then what SIR confirmed.",
      plans: "Every plan",
      actions: [{ label: "Open the checkout editor", url: links.checkoutEditorUrl }],
    },
    {
      name: "Customer account",
      where: "The shopper's balance and history: a profile block and a full page.",
      plans: "New customer accounts",
      actions: [{ label: "Open customer accounts", url: links.customerAccountsUrl }],
    },
  ];

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="p">
          {connected
            ? "The app keeps the estimate up to date when you save your rules or connection, and while SIR campaigns change. Shopify does not tell the app where you placed its blocks: add each one in the editor, then preview your store."
            : "Save your SIR connection first: the surfaces need it to show anything."}
        </Text>
        {surfaces.map((surface) => (
          <Box
            key={surface.name}
            paddingBlockStart="200"
            borderColor="border"
            borderBlockStartWidth="025"
          >
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {surface.name}
                </Text>
                <Badge tone={connected ? "info" : undefined}>
                  {connected ? "Available: add it in the editor" : "Needs a connection"}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {surface.where} {surface.plans}.
              </Text>
              {surface.actions.length > 0 && (
                <InlineStack gap="200">
                  {surface.actions.map((action) => (
                    <Button key={action.label} url={action.url} target="_top" disabled={!connected}>
                      {action.label}
                    </Button>
                  ))}
                </InlineStack>
              )}
            </BlockStack>
          </Box>
        ))}
      </BlockStack>
    </Card>
  );
}
