import { json } from "@remix-run/node";
import { db } from "../db.server";

// Liveness and readiness in one: the app is only useful if its database answers.
export const loader = async () => {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return json({ status: "ok", database: "ok" });
  } catch {
    return json({ status: "error", database: "unreachable" }, { status: 503 });
  }
};
