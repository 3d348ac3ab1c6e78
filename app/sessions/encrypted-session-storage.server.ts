import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { isSealed, secretBox, type SecretBox } from "../crypto/encryption.server";
import type { Database } from "../db.server";
import { logger } from "../logger.server";
import { registerSecret } from "../log-redaction.server";

const log = logger.child({ component: "session-storage" });

// Shopify's access tokens (and refresh tokens) at rest, sealed like the SIR
// secrets: a database dump alone gives nobody API access to the merchants'
// stores. The Prisma storage from Shopify's template keeps its table and its
// code; this wrapper seals the tokens on the way in and opens them on the way
// out. A row written before (a plain-text token) is read as it is and sealed
// again at once; sealPlaintextSessions (run at start) seals any left.

type TokenFields = Pick<Session, "accessToken" | "refreshToken">;

function mapTokens(session: Session, map: (value: string) => string): Session {
  const copy = new Session(session.toObject());
  const fields: TokenFields = {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
  };
  if (fields.accessToken) copy.accessToken = map(fields.accessToken);
  if (fields.refreshToken) copy.refreshToken = map(fields.refreshToken);
  return copy;
}

export function hasPlaintextToken(session: TokenFields): boolean {
  return [session.accessToken, session.refreshToken].some((value) => !!value && !isSealed(value));
}

export type EncryptedSessionStorageOptions = {
  /** The box tokens are sealed with (default: the app's keys). */
  box?: () => SecretBox;
  /**
   * The database under the wrapped storage: a plain-text row read is sealed
   * there, only while it still holds what was read (a newer sign-in wins).
   * Without it such rows are left for the start step (sealPlaintextSessions).
   */
  database?: Database;
};

export class EncryptedSessionStorage implements SessionStorage {
  private readonly box: () => SecretBox;
  private readonly database: Database | undefined;

  constructor(
    private readonly inner: SessionStorage,
    options: EncryptedSessionStorageOptions = {},
  ) {
    this.box = options.box ?? secretBox;
    this.database = options.database;
  }

  private seal(session: Session): Session {
    const box = this.box();
    return mapTokens(session, (value) => (isSealed(value) ? value : box.encrypt(value)));
  }

  /** The session with its tokens opened; undefined (a fresh sign-in) if they cannot be. */
  private async open(session: Session): Promise<Session | undefined> {
    const box = this.box();
    let opened: Session;
    try {
      // Registered with the logger, which redacts them wherever they would appear.
      opened = mapTokens(session, (value) =>
        registerSecret(isSealed(value) ? box.decrypt(value) : value),
      );
    } catch (error) {
      // Never the token itself: which session, and why.
      log.error("A stored Shopify session could not be decrypted; the shop must sign in again", {
        sessionId: session.id,
        shop: session.shop,
        reason: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
    if (hasPlaintextToken(session) && this.database) {
      // Written before tokens were sealed: seal it now.
      const sealed = this.seal(session);
      await this.database.session.updateMany({
        where: {
          id: session.id,
          accessToken: session.accessToken ?? "",
          refreshToken: session.refreshToken ?? null,
        },
        data: { accessToken: sealed.accessToken ?? "", refreshToken: sealed.refreshToken ?? null },
      });
    }
    return opened;
  }

  async storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.seal(session));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session ? this.open(session) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const sessions = await this.inner.findSessionsByShop(shop);
    const opened = await Promise.all(sessions.map((session) => this.open(session)));
    return opened.filter((session): session is Session => session !== undefined);
  }
}
