// One error class for everything that goes wrong while delivering. It names the
// destination (its config id), never the URL: for Slack the URL is the secret.

import { NewswatchError } from '../retryable-error.ts';

export class DeliveryError extends NewswatchError {
  constructor(
    /** Config id of the destination (or email list). */
    readonly destinationId: string,
    message: string,
    /** True when sending the same thing again later may succeed (5xx, timeout, 429, throttling). */
    retryable: boolean,
    readonly details: { status?: number; retryAfterMs?: number; code?: string } = {},
  ) {
    super(`${destinationId}: ${message}`, { retryable });
    this.name = 'DeliveryError';
  }
}
