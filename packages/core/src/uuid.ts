// Typed here so that core needs neither the DOM nor Node's types: both provide Web Crypto as `crypto`.
declare const crypto: { getRandomValues(array: Uint8Array): Uint8Array };

let lastMs = 0;
let counter = 0;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Returns a new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, then 62 random bits.
 * Ids made in the same process sort in creation order, also within one millisecond (the counter, RFC 9562
 * section 6.2 method 1, good for 4096 ids a millisecond), so a queue keyed by id is a queue in time order.
 *
 * @param time - the creation time in Unix ms (a fraction is dropped); defaults to now. Events replayed
 * from the script tag's command queue pass their original time.
 * @example
 * uuidv7(); // '0193a4f2-5c1e-7000-9f4e-1c2d3e4f5a6b'
 */
export function uuidv7(time: number = Date.now()): string {
  // Browsers give whole milliseconds, fake clocks (Playwright's, vitest's) may not: a fraction would be written
  // into the id as a '.'.
  const ms = Math.floor(time);
  counter = ms == lastMs ? counter + 1 : 0;
  lastMs = ms;
  const msHex = hex(ms, 12);
  let random = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(8))) random += hex(byte, 2);
  // The variant: the two top bits of the 4th group are 10.
  return `${msHex.slice(0, 8)}-${msHex.slice(8)}-7${hex(counter & 0xfff, 3)}-${hex(0x8000 | (parseInt(random.slice(0, 4), 16) & 0x3fff), 4)}-${random.slice(4)}`;
}

/** The creation time (Unix ms) written into a UUIDv7. */
export function getUuidTime(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
