// The `graphql` function of shopify-app-remix's admin context, narrowed to
// what the admin pages call, and one way of reading its answers.
export type AdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<Response>;

/** Shopify refused or could not answer an Admin API call; `message` is a merchant sentence. */
export class AdminApiError extends Error {}

type GraphqlBody<T> = { data?: T | null; errors?: Array<{ message?: string }> | unknown };

function errorMessages(errors: unknown): string {
  if (!Array.isArray(errors)) return "";
  return errors
    .map((error) => (typeof error?.message === "string" ? error.message : ""))
    .filter(Boolean)
    .join("; ");
}

/**
 * Runs one operation and returns its `data`. shopify-app-remix throws on
 * transport and GraphQL errors, and throws a Response when App Bridge must
 * re-authenticate: that Response is passed through for Remix to send.
 */
export async function runAdminGraphql<T>(
  graphql: AdminGraphql,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  let body: GraphqlBody<T>;
  try {
    const response = await graphql(query, variables ? { variables } : undefined);
    body = (await response.json()) as GraphqlBody<T>;
  } catch (error) {
    if (error instanceof Response) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new AdminApiError(`Shopify did not accept the app's request (${detail}).`);
  }
  const messages = errorMessages(body.errors);
  if (!body.data || messages) {
    throw new AdminApiError(`Shopify did not accept the app's request (${messages || "no data"}).`);
  }
  return body.data;
}
