/**
 * A fake of the parts of Shopify's Admin GraphQL API the app calls, behind
 * msw: it keeps app-data metafields and orders per shop and answers each
 * operation by name, recording every call. Anything it does not know is a
 * GraphQL error, and any request msw was not told about fails the test.
 */
import { createHash } from "node:crypto";
import { http, HttpResponse, passthrough } from "msw";
import { setupServer, type SetupServerApi } from "msw/node";
import type { GraphqlOrder } from "../../app/graphql/PaidOrdersQuery";

export type AdminCall = { shop: string; operationName: string; variables: Record<string, unknown> };
export type StoredMetafield = { ownerId: string; type: string; value: string };

const ADMIN_GRAPHQL =
  /^https:\/\/([a-z0-9-]+\.myshopify\.com)\/admin\/api\/[0-9-]+\/graphql\.json$/;
const METAFIELD_TYPES = new Set(["single_line_text_field", "boolean", "url", "json"]);

const encodeCursor = (index: number) => Buffer.from(`order:${index}`).toString("base64");
const decodeCursor = (cursor: unknown) =>
  typeof cursor === "string" ? Number(Buffer.from(cursor, "base64").toString().slice(6)) + 1 : 0;

export class FakeAdminApi {
  readonly calls: AdminCall[] = [];
  private readonly metafieldsByShop = new Map<string, Map<string, StoredMetafield>>();
  private readonly ordersByShop = new Map<string, GraphqlOrder[]>();
  private readonly scriptedAnswers = new Map<string, unknown>();
  private readonly currencyByShop = new Map<string, string>();

  /** The shop's currency (`shop { currencyCode }`); USD unless set. */
  setShopCurrency(shop: string, currencyCode: string) {
    this.currencyByShop.set(shop, currencyCode);
  }

  appInstallationId(shop: string): string {
    const number = parseInt(createHash("sha256").update(shop).digest("hex").slice(0, 10), 16);
    return `gid://shopify/AppInstallation/${number}`;
  }

  /** The shop's app-data metafields, by "namespace.key". */
  metafields(shop: string): Record<string, StoredMetafield> {
    return Object.fromEntries(this.metafieldsByShop.get(shop) ?? []);
  }

  setOrders(shop: string, orders: GraphqlOrder[]) {
    this.ordersByShop.set(shop, orders);
  }

  /** The next call of `operationName` (any shop) gets this body instead. */
  answerNextWith(operationName: string, body: unknown) {
    this.scriptedAnswers.set(operationName, body);
  }

  callsTo(shop: string, operationName: string): AdminCall[] {
    return this.calls.filter((call) => call.shop === shop && call.operationName === operationName);
  }

  handler() {
    return http.post(ADMIN_GRAPHQL, async ({ request }) => {
      const shop = ADMIN_GRAPHQL.exec(request.url)![1];
      if (!request.headers.get("x-shopify-access-token")) {
        return HttpResponse.json({ errors: "Invalid API key or access token" }, { status: 401 });
      }
      const { query, variables = {} } = (await request.json()) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
      this.calls.push({ shop, operationName, variables });
      const scripted = this.scriptedAnswers.get(operationName);
      if (scripted !== undefined) {
        this.scriptedAnswers.delete(operationName);
        return HttpResponse.json(scripted);
      }
      return HttpResponse.json(this.answer(shop, operationName, variables));
    });
  }

  private answer(shop: string, operationName: string, variables: Record<string, unknown>) {
    switch (operationName) {
      case "CurrentAppInstallation":
        return { data: { currentAppInstallation: { id: this.appInstallationId(shop) } } };
      case "RewardEstimateContext":
        return {
          data: {
            currentAppInstallation: { id: this.appInstallationId(shop) },
            shop: { currencyCode: this.currencyByShop.get(shop) ?? "USD" },
          },
        };
      case "SetWidgetMetafields":
        return this.setMetafields(shop, variables.metafields as Array<Record<string, string>>);
      case "DeleteWidgetMetafields":
        return this.deleteMetafields(shop, variables.metafields as Array<Record<string, string>>);
      case "PaidOrders":
        return { data: { orders: this.ordersPage(shop, variables) } };
      case "PaidOrdersCount":
        return {
          data: {
            ordersCount: { count: this.paidOrders(shop, variables).length, precision: "EXACT" },
          },
        };
      default:
        return { errors: [{ message: `The fake Admin API does not know ${operationName}` }] };
    }
  }

  private setMetafields(shop: string, inputs: Array<Record<string, string>>) {
    const userErrors = inputs.flatMap((input, index) => {
      if (input.ownerId !== this.appInstallationId(shop)) {
        return [
          {
            field: ["metafields", String(index), "ownerId"],
            message: "Owner not found",
            code: "INVALID",
          },
        ];
      }
      if (!METAFIELD_TYPES.has(input.type) || !input.value) {
        return [
          {
            field: ["metafields", String(index), "value"],
            message: "Value is invalid",
            code: "INVALID",
          },
        ];
      }
      return [];
    });
    if (userErrors.length > 0) return { data: { metafieldsSet: { metafields: null, userErrors } } };
    const stored = this.metafieldsByShop.get(shop) ?? new Map<string, StoredMetafield>();
    for (const input of inputs) {
      stored.set(`${input.namespace}.${input.key}`, {
        ownerId: input.ownerId,
        type: input.type,
        value: input.value,
      });
    }
    this.metafieldsByShop.set(shop, stored);
    const metafields = inputs.map(({ namespace, key }) => ({ namespace, key }));
    return { data: { metafieldsSet: { metafields, userErrors: [] } } };
  }

  private deleteMetafields(shop: string, identifiers: Array<Record<string, string>>) {
    const stored = this.metafieldsByShop.get(shop);
    const deletedMetafields = identifiers.map(({ namespace, key }) =>
      stored?.delete(`${namespace}.${key}`) ? { namespace, key } : null,
    );
    return { data: { metafieldsDelete: { deletedMetafields, userErrors: [] } } };
  }

  /** Orders matching the search the app sends: paid, created on or after the date. */
  private paidOrders(shop: string, variables: Record<string, unknown>): GraphqlOrder[] {
    const search = String(variables.query ?? "");
    const since = /created_at:>=(\d{4}-\d{2}-\d{2})/.exec(search)?.[1] ?? "0000-00-00";
    const paidOnly = search.includes("financial_status:paid");
    return (this.ordersByShop.get(shop) ?? [])
      .filter((order) => order.createdAt.slice(0, 10) >= since)
      .filter((order) => !paidOnly || order.displayFinancialStatus === "PAID")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private ordersPage(shop: string, variables: Record<string, unknown>) {
    const orders = this.paidOrders(shop, variables);
    const start = decodeCursor(variables.after);
    const nodes = orders.slice(start, start + Number(variables.first ?? 50));
    const end = start + nodes.length;
    return {
      pageInfo: {
        hasNextPage: end < orders.length,
        endCursor: nodes.length ? encodeCursor(end - 1) : null,
      },
      nodes,
    };
  }
}

/**
 * msw with the fake Admin API. Requests to `localOrigins` (the SIR sandbox,
 * a test app server) go through untouched; anything else fails the test.
 */
export function interceptAdminApi(api: FakeAdminApi, localOrigins: string[]): SetupServerApi {
  const server = setupServer(
    api.handler(),
    ...localOrigins.map((origin) => http.all(`${origin}/*`, () => passthrough())),
  );
  server.listen({ onUnhandledRequest: "error" });
  return server;
}
