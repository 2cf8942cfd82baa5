/**
 * Which addresses a webhook may not reach. A receiver runs inside someone's network; without this guard anyone who
 * can set a webhook URL could make it call internal services (cloud metadata at 169.254.169.254, admin ports on
 * localhost). Pure code, so it is testable without DNS.
 */

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

/** Parses an IPv6 address (with `::`, an embedded dotted IPv4 tail, brackets or a zone) into 8 groups. */
function parseIpv6(text: string): number[] | undefined {
  let s = text
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = parseIpv4(tail[1]!);
    if (!v4) return undefined;
    s = `${s.slice(0, -tail[1]!.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

function isPrivateIpv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // "this network", incl. the unspecified 0.0.0.0
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT, RFC 6598
    (a === 169 && b === 254) || // link-local, incl. cloud metadata services
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking, RFC 2544
    a! >= 224 // multicast, reserved and broadcast
  );
}

function embeddedIpv4(g: number[], from: number): number[] {
  return [g[from]! >> 8, g[from]! & 0xff, g[from + 1]! >> 8, g[from + 1]! & 0xff];
}

/**
 * True for an address a webhook must not reach: unspecified, loopback, private, link-local, carrier-grade NAT,
 * multicast or reserved, in IPv4 or IPv6, including IPv4 addresses carried in IPv6 (mapped `::ffff:a.b.c.d`,
 * compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`). Anything that does not parse as an IP address
 * counts as private, so a surprise fails closed.
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return isPrivateIpv4(v4);
  const g = parseIpv6(address);
  if (!g) return true;
  const [g0, g1, g2, g3, g4, g5] = g as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    // Mapped ::ffff:a.b.c.d and compatible ::a.b.c.d; :: and ::1 land in 0.0.0.0/8 here.
    if (g5 === 0xffff || g5 === 0) return isPrivateIpv4(embeddedIpv4(g, 6));
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateIpv4(embeddedIpv4(g, 6));
  if (g0 === 0x2002) return isPrivateIpv4(embeddedIpv4(g, 1));
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g0 & 0xffc0) === 0xfec0 || // deprecated site-local fec0::/10
    (g0 & 0xff00) === 0xff00 // multicast ff00::/8
  );
}
