/**
 * The physical limit beside the app's drain figures, run as its own process: a bare loop over
 * the same inbox rows that does what a drain cannot skip and nothing else. For each page of 200
 * rows: JSON.parse each body, the app's own earning basis (parseOrderPayload, computeEarningBasis
 * under the default rules, formatMinor), one prepared multi-row insert of the 200 ledger rows,
 * then one bulk POST per 100 actions to the SIR sandbox through the app's SIR client (signed, as
 * the app's are). No claims, leases, timelines, receipts, retries, webhooks or status updates.
 * Not part of the app.
 *
 * Environment: REFERENCE_DB (an SQLite file with the `inbox` table filled), SIR_URL,
 * SIR_SECRET_KEY, SIR_HMAC_SECRET. Protocol on stdio: prints {"ready":true} when set up, starts
 * on a line on stdin, prints {"done":n,"ms":t,"accepted":k} when the last bulk call has answered,
 * and exits when stdin closes (so the parent can read its CPU time first).
 */
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { createSirClient, type SubmitActionInput } from "../app/sir";
import { computeEarningBasis } from "../app/rewards/calculation/earning-basis";
import { formatMinor } from "../app/rewards/calculation/currency";
import { DEFAULT_EARNING_RULES } from "../app/rewards/calculation/settings";
import { parseOrderPayload } from "../app/rewards/calculation/shopify-order";

const PAGE = 200;
const BULK = 100;
const COLUMNS = 5;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const db = new Database(env("REFERENCE_DB"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL"); // as the app's worker connection
db.exec(`CREATE TABLE IF NOT EXISTS reward (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL,
  partner_user_id TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL
)`);
const page = db.prepare<[number, number], { id: number; body: string }>(
  "SELECT id, body FROM inbox WHERE id > ? ORDER BY id LIMIT ?",
);
const inserts = new Map<number, Database.Statement>();
const insertRows = (rows: number) => {
  let statement = inserts.get(rows);
  if (!statement) {
    const tuple = `(${Array(COLUMNS).fill("?").join(", ")})`;
    statement = db.prepare(
      `INSERT INTO reward (order_id, idempotency_key, partner_user_id, amount, currency) VALUES ${Array(rows).fill(tuple).join(", ")}`,
    );
    inserts.set(rows, statement);
  }
  return statement;
};
insertRows(PAGE); // prepared before the start, as a long-running worker's would be
const sir = createSirClient({
  baseUrl: env("SIR_URL"),
  secretKey: env("SIR_SECRET_KEY"),
  hmacSecret: env("SIR_HMAC_SECRET"),
});

async function drain(): Promise<{ done: number; accepted: number }> {
  let after = 0;
  let done = 0;
  let accepted = 0;
  for (;;) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) return { done, accepted };
    after = rows[rows.length - 1].id;
    const values: string[] = [];
    const actions: SubmitActionInput[] = [];
    for (const row of rows) {
      const order = parseOrderPayload(JSON.parse(row.body));
      const basis = computeEarningBasis(order, DEFAULT_EARNING_RULES);
      if (!basis.eligible) continue;
      const amount = formatMinor(basis.basisMinor, basis.currency);
      const key = `reference:order:${order.id}`;
      const { customer } = basis;
      values.push(String(order.id), key, customer.partnerUserId, amount, basis.currency);
      actions.push({
        idempotencyKey: key,
        actionType: "PURCHASE",
        amount,
        currency: basis.currency,
        stakeholders: [
          {
            stakeholderTypeCode: "CUSTOMER",
            partnerUserId: customer.partnerUserId,
            ...(customer.email ? { userEmail: customer.email } : {}),
            ...(customer.firstName ? { userFirstName: customer.firstName } : {}),
            ...(customer.lastName ? { userLastName: customer.lastName } : {}),
          },
        ],
        autoCreateUsers: true,
      });
    }
    if (actions.length > 0) insertRows(actions.length).run(...values);
    for (let start = 0; start < actions.length; start += BULK) {
      const result = await sir.submitBulk(actions.slice(start, start + BULK));
      accepted += result.items.filter((item) => item.ok).length;
    }
    done += rows.length;
  }
}

const lines = createInterface({ input: process.stdin });
console.log(JSON.stringify({ ready: true }));
lines.once("line", async () => {
  const startedAt = performance.now();
  const { done, accepted } = await drain();
  console.log(JSON.stringify({ done, accepted, ms: performance.now() - startedAt }));
});
lines.once("close", () => {
  db.close();
  process.exit(0);
});
