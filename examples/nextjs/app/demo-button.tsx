'use client';
import { inkling } from './inkling';

/** A conversion: the default model counts a demo request as hot on its own. */
export function DemoButton() {
  return (
    <button id="demo" type="button" onClick={() => inkling.track('demo_request', { plan: 'team' })}>
      Request a demo
    </button>
  );
}
