import type { Batch } from '@inkling/core';
import type { Transport } from './types.js';

/**
 * Hands each batch to your function. Resolve (or return nothing) when it is delivered, return an
 * HTTP-like status to say otherwise, throw to have it retried.
 *
 * @example
 * createTracker({ transports: [createCallbackTransport((batch) => myBus.publish('inkling', batch))] });
 */
export function createCallbackTransport(callback: (batch: Batch) => void | number | Promise<void | number>, name = 'callback'): Transport {
  return {
    name,
    send: async (batch) => ({ status: (await callback(batch)) ?? 200 }),
  };
}
