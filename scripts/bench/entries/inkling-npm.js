// What an app writes to use Inkling from npm. The global only lets the benchmark's pages call it; it
// also keeps everything createTracker needs from being tree-shaken away.
import { createTracker } from '@inkling/browser';

window.inklingCreateTracker = createTracker;
