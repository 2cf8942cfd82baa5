import type { AnyEvent } from '@inkling/core';
import type { Transport } from './types.js';

declare global {
  interface Window {
    dataLayer?: unknown[];
  }
}

/** Options of {@link createDataLayerTransport}. */
export interface DataLayerOptions {
  /** The event types to push. @default ['intent', 'article_read', 'track', 'identify'] */
  types?: readonly string[];
}

/**
 * Pushes events into Google Tag Manager's `window.dataLayer` as `{ event: 'inkling.<type>', inkling: {...} }`,
 * so tags can fire on a warm lead (`inkling.intent`, with `inkling.props.level`) or a qualified read. Events are
 * pushed on the page they happened on and never stored: a tag firing on a later page would be wrong.
 */
export function createDataLayerTransport({ types = ['intent', 'article_read', 'track', 'identify'] }: DataLayerOptions = {}): Transport {
  return {
    name: 'dataLayer',
    persist: false,
    accepts: (event: AnyEvent) => types.includes(event.type),
    async send(batch) {
      const layer = (window.dataLayer ||= []);
      for (const event of batch.events) layer.push({ event: `inkling.${event.type}`, inkling: event });
      return { status: 200 };
    },
  };
}
