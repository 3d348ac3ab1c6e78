// An opaque position in the ledger's order (createdAt desc, id desc): the
// last row's sort key, so the next page starts right after it at any depth.
export type LedgerPosition = { createdAt: Date; id: string };

export function encodeLedgerCursor(position: LedgerPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    "base64url",
  );
}

/** null for anything that is not a cursor this app made (a tampered or stale link shows page one). */
export function decodeLedgerCursor(cursor: string | null | undefined): LedgerPosition | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, id] = value;
    if (typeof createdAt !== "string" || typeof id !== "string" || id === "") return null;
    const date = new Date(createdAt);
    return Number.isNaN(date.getTime()) ? null : { createdAt: date, id };
  } catch {
    return null;
  }
}
