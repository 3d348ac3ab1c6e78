/**
 * Only the two reference measurements (the bare ack server and the bare drain loop), for trying
 * them out without the whole bench: `node --import tsx bench/references.ts`. REFERENCE_ORDERS
 * (default 10,000) sets the drain loop's order count; REFERENCE_SKIP_ACK=1 skips the 35 s ack
 * load. `npm run bench` runs both beside the app's figures and reports the ratios.
 */
import "./environment";
import { ACK_ORDERS } from "./ack-latency";
import { paidOrders } from "../test/helpers/paid-orders";
import { measureReferenceAck } from "./reference-ack";
import { measureReferenceDrain } from "./reference-drain";

const drainOrders = Number(process.env.REFERENCE_ORDERS ?? 10_000);
const orders = paidOrders(Math.max(drainOrders, ACK_ORDERS));
if (process.env.REFERENCE_SKIP_ACK !== "1") {
  const ack = await measureReferenceAck(orders.slice(0, ACK_ORDERS).map((order) => order.body));
  console.log("reference ack:", JSON.stringify(ack));
}
const drain = await measureReferenceDrain(orders.slice(0, drainOrders));
console.log("reference drain:", JSON.stringify(drain));
