/**
 * The script-tag build: configured from its own `<script>` tag, driven through `window.inkling`.
 * The only module with side effects.
 *
 *   <script async src="/inkling.min.js" data-endpoint="https://collect.example.com/i"></script>
 */
// The tracker first: the bundle keeps the modules in import order, and this one compresses best (`npm run size`).
import { startTracker } from './tracker.js';
import { installCommandQueue } from './command-queue.js';
import { readScriptOptions, toAttributeMessage } from './script-options.js';

try {
  installCommandQueue(window, startTracker(readScriptOptions(document.currentScript?.dataset ?? {})));
} catch (error) {
  console.error(toAttributeMessage(`${(error as Error).message}`));
}
