// The email-sender port: the digest builds the message, an adapter sends it
// (adapters/ses/ on AWS and for `newswatch digest`). Like the store port, it keeps the
// core free of any SDK.

/** One ready-built MIME message and whom it goes to. */
export interface OutgoingEmail {
  /** The email list it belongs to: named in errors. */
  listId: string;
  from: string;
  to: string[];
  /** The whole raw MIME message (headers and body), as mime.ts builds it. */
  raw: string;
}

export interface EmailSender {
  /**
   * Sends one message; resolves with the provider's message id. Rejects with a
   * DeliveryError whose `details.status` is set when the provider answered (so nothing
   * went out) and unset when it may have gone out (a timeout, a lost connection).
   */
  send(mail: OutgoingEmail): Promise<{ messageId: string }>;
}
