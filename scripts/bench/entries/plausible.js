// Plausible's npm package is an ES module with no script-tag file: this is the smallest script build of it.
import { init, track } from '@plausible-analytics/tracker';

window.plausibleTracker = { init, track };
