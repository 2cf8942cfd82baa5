// Typed here so that core needs neither the DOM nor Node's types: both provide Web Crypto as `crypto`.
declare const crypto: { getRandomValues(array: Uint8Array): Uint8Array };

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));

let lastMs = -1;
let lastRandom: Uint8Array = new Uint8Array(10);

/**
 * Returns a new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made in the same
 * process sort in creation order, even within one millisecond (the random part is incremented, RFC 9562
 * section 6.2 method 3), so a queue keyed by id is a queue in time order.
 *
 * @param ms - the creation time; defaults to now. Events replayed from the script tag's command queue
 * pass their original time.
 * @example
 * uuidv7(); // '0193a4f2-5c1e-7b3a-9f4e-1c2d3e4f5a6b'
 */
export function uuidv7(ms: number = Date.now()): string {
  let random: Uint8Array;
  if (ms === lastMs) {
    random = lastRandom;
    // Increment the 74 random bits as one big-endian number; overflow is astronomically unlikely.
    for (let i = 9; i >= 0; i--) {
      random[i] = (random[i]! + 1) & 0xff;
      if (random[i] !== 0) break;
    }
  } else {
    random = crypto.getRandomValues(new Uint8Array(10));
    lastMs = ms;
  }
  lastRandom = random;
  const b = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b.set(random, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) out += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX[b[i]!];
  return out;
}

/** The creation time (Unix ms) written into a UUIDv7. */
export function getUuidTime(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
