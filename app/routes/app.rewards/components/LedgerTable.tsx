import { useEffect, useState } from "react";
import { useNavigate } from "@remix-run/react";
import {
  Card,
  IndexFilters,
  IndexTable,
  Link,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { RewardStatusBadge, rewardStatusLabel } from "../../../components/RewardStatusBadge";
import { formatDateTime, formatNumber } from "../../../components/format";
import { usePolling } from "../../../components/usePolling";

export type LedgerEntry = {
  orderId: string;
  orderName: string;
  status: string;
  amount: string;
  currency: string;
  tokensDistributed: number | null;
  tokensReversed: number;
  debt: number;
  lastError: string | null;
  skipReason: string | null;
  createdAt: string;
};

export type LedgerTableProps = {
  page: { entries: LedgerEntry[]; nextCursor: string | null; previousCursor: string | null };
  status: string | null;
  search: string;
  onRetry(orderIds: string[]): void;
  retrying: boolean;
};

// The statuses a merchant filters by, in the order they care about them.
const STATUS_TABS = [
  null,
  "failed",
  "parked",
  "pending",
  "rewarded",
  "partially_reversed",
  "reversed",
  "skipped",
] as const;
const SEARCH_DELAY_MS = 400;
const PENDING_REFRESH_MS = 3_000;

function ledgerUrl(params: Record<string, string | null>) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const query = search.toString();
  return query ? `/app/rewards?${query}` : "/app/rewards";
}

export function LedgerTable({ page, status, search, onRetry, retrying }: LedgerTableProps) {
  const navigate = useNavigate();
  const { mode, setMode } = useSetIndexFiltersMode();
  const [query, setQuery] = useState(search);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(page.entries, { resourceIDResolver: (entry) => entry.orderId });

  // Searching waits for a pause in typing, then starts again from the newest order.
  useEffect(() => {
    if (query.trim() === search) return;
    const timer = setTimeout(
      () => navigate(ledgerUrl({ status, q: query.trim() }), { replace: true }),
      SEARCH_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [query, search, status, navigate]);

  // Rewards being sent update by themselves.
  usePolling(
    page.entries.some((entry) => entry.status === "pending"),
    PENDING_REFRESH_MS,
  );

  const tabs = STATUS_TABS.map((tab, index) => ({
    id: tab ?? "all",
    content: tab ? rewardStatusLabel(tab) : "All",
    index,
  }));
  const selectedTab = Math.max(STATUS_TABS.indexOf(status as (typeof STATUS_TABS)[number]), 0);
  const retrySelected = () => {
    onRetry(selectedResources);
    clearSelection();
  };

  return (
    <Card padding="0">
      <IndexFilters
        tabs={tabs}
        selected={selectedTab}
        onSelect={(index) => navigate(ledgerUrl({ status: STATUS_TABS[index], q: search }))}
        queryValue={query}
        queryPlaceholder="Search by order number, such as 1001"
        onQueryChange={setQuery}
        onQueryClear={() => setQuery("")}
        filters={[]}
        appliedFilters={[]}
        onClearAll={() => setQuery("")}
        hideFilters
        canCreateNewView={false}
        mode={mode}
        setMode={setMode}
        loading={retrying}
      />
      <IndexTable
        resourceName={{ singular: "reward", plural: "rewards" }}
        itemCount={page.entries.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        promotedBulkActions={[{ content: "Retry", onAction: retrySelected }]}
        headings={[
          { title: "Order" },
          { title: "Date" },
          { title: "Status" },
          { title: "Amount", alignment: "end" },
          { title: "Tokens", alignment: "end" },
          { title: "Clawed back", alignment: "end" },
          { title: "Note" },
        ]}
        pagination={{
          hasPrevious: page.previousCursor !== null,
          hasNext: page.nextCursor !== null,
          onPrevious: () => navigate(ledgerUrl({ status, q: search, before: page.previousCursor })),
          onNext: () => navigate(ledgerUrl({ status, q: search, after: page.nextCursor })),
        }}
      >
        {page.entries.map((entry, index) => (
          <IndexTable.Row
            id={entry.orderId}
            key={entry.orderId}
            position={index}
            selected={selectedResources.includes(entry.orderId)}
          >
            <IndexTable.Cell>
              <Link
                url={`/app/rewards/${entry.orderId}`}
                dataPrimaryLink
                monochrome
                removeUnderline
              >
                <Text as="span" fontWeight="semibold">
                  {entry.orderName}
                </Text>
              </Link>
            </IndexTable.Cell>
            <IndexTable.Cell>{formatDateTime(entry.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              <RewardStatusBadge status={entry.status} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {entry.amount} {entry.currency}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {entry.tokensDistributed === null ? "—" : formatNumber(entry.tokensDistributed)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {entry.tokensReversed > 0 ? formatNumber(entry.tokensReversed) : "—"}
                {entry.debt > 0 ? ` (${formatNumber(entry.debt)} debt)` : ""}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" tone="subdued" truncate>
                {entry.lastError ?? entry.skipReason ?? ""}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}
