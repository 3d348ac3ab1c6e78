import { Badge, BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";
import { formatDateTime } from "../../../components/format";
import { eventLook } from "./event-labels";

export type TimelineEvent = { id: string; type: string; message: string; at: string };

export function EventTimeline({ events }: { events: TimelineEvent[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Timeline
        </Text>
        {events.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing has happened to this reward yet.
          </Text>
        ) : (
          <BlockStack as="ol" gap="300">
            {events.map((event) => {
              const look = eventLook(event.type);
              return (
                <li key={event.id}>
                  <Box borderInlineStartWidth="050" borderColor="border" paddingInlineStart="300">
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center">
                        <Badge tone={look.tone}>{look.label}</Badge>
                        <Text as="span" variant="bodySm" tone="subdued">
                          <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                        </Text>
                      </InlineStack>
                      <Text as="p">{event.message}</Text>
                    </BlockStack>
                  </Box>
                </li>
              );
            })}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
