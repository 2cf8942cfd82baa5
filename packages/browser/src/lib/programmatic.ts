/**
 * Whether the options may come from a program (`createTracker`), which can set what no data- attribute can:
 * `model`, `onError`, `queue`, `visitTimeoutMs`, an element for `scrollRoot`, transports without an endpoint.
 * The script tag takes its options from its data- attributes alone, so rollup.config.mjs gives it `false` here,
 * and the code that serves those options drops out of it.
 */
export const programmatic: boolean = true;
