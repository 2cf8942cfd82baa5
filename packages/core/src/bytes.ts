// Core is built without the DOM and Node type libraries; TextEncoder is a global in every runtime Inkling targets
// (browsers, Node 20, edge runtimes), so only its one method used here is declared.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * UTF-8 length of a string: what it weighs in a request body, unlike `string.length` (UTF-16 code units). The
 * browser batches by it and the receiver enforces its per-event cap with it, so both count the same bytes.
 *
 * @example
 * getByteLength('né'); // 3
 */
export function getByteLength(text: string): number {
  return encoder.encode(text).length;
}
