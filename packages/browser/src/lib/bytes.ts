const encoder = /* @__PURE__ */ new TextEncoder();

/** UTF-8 length of a string: what a request body weighs, unlike `string.length` (UTF-16 units). */
export function getByteLength(text: string): number {
  return encoder.encode(text).length;
}
