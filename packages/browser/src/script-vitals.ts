/**
 * The optional vitals script: add it after the Inkling tag.
 *
 *   <script async src="/inkling.vitals.min.js"></script>
 *
 * It talks to Inkling only through `window.inkling`, so the two scripts may load in any order.
 */
import { trackVitals } from './vitals.js';

trackVitals({
  vitals: (values) => ((window.inkling ||= []) as { push(args: unknown[]): unknown }).push(['vitals', values]),
});
