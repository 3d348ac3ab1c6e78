import { BlockStack, Button, Card, Text } from "@shopify/polaris";

export type StorefrontWidgetCardProps = {
  connected: boolean;
  defaultNonprofit: string | null;
  appEmbedUrl: string;
};

export function StorefrontWidgetCard({
  connected,
  defaultNonprofit,
  appEmbedUrl,
}: StorefrontWidgetCardProps) {
  return (
    <Card>
      <BlockStack gap="300">
        {connected ? (
          <Text as="p">
            The widget is set up with your publishable key
            {defaultNonprofit ? ` and donates to ${defaultNonprofit} by default` : ""}. Switch on
            the app embed in your theme to show it to shoppers; you can also add the “Donate to a
            cause” block to any section.
          </Text>
        ) : (
          <Text as="p">Save your SIR connection first: the widget needs your publishable key.</Text>
        )}
        <div>
          <Button url={appEmbedUrl} target="_top" disabled={!connected}>
            Enable the donate widget in your theme
          </Button>
        </div>
      </BlockStack>
    </Card>
  );
}
