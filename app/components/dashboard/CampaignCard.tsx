import { BlockStack, Card, Text } from "@shopify/polaris";

export type CampaignCardProps = {
  campaign: { name: string; multiplier: string | null } | null;
  unavailable: boolean;
};

export function CampaignCard({ campaign, unavailable }: CampaignCardProps) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Active campaign
        </Text>
        {unavailable ? (
          <Text as="p" tone="subdued">
            Shown once SIR can be reached.
          </Text>
        ) : campaign ? (
          <BlockStack gap="100">
            <Text as="p" variant="headingLg">
              {campaign.name}
            </Text>
            {campaign.multiplier && (
              <Text as="p" tone="subdued">
                Orders earn {campaign.multiplier}× the usual tokens while it runs.
              </Text>
            )}
          </BlockStack>
        ) : (
          <Text as="p">No campaign is active in SIR right now; orders earn the usual tokens.</Text>
        )}
      </BlockStack>
    </Card>
  );
}
