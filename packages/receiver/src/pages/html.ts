const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. Everything from a browser goes through here. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A UTC date-time people can read and sort: `2026-03-01 10:04:05Z`. */
export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** SHA-256 of `text`, base64. */
export async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary);
}

const pageHeaders = new Map<string, Promise<Record<string, string>>>();

/**
 * Headers of the HTML pages: a Content-Security-Policy allowing nothing but the page's own inline style and, when
 * it has one, its own inline script (both by hash; the script may fetch from this origin only), no framing, and no
 * Referer, so a `?key=` in the address never leaves in a Referer header.
 */
export function getPageHeaders(css: string, script = ''): Promise<Record<string, string>> {
  // Each page's CSS and script are constants: hashed once, not on every request.
  const cacheKey = `${css}\u0000${script}`;
  let headers = pageHeaders.get(cacheKey);
  if (!headers) {
    headers = Promise.all([sha256Base64(css), script ? sha256Base64(script) : undefined]).then(([styleHash, scriptHash]) => ({
      'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; ${scriptHash ? `script-src 'sha256-${scriptHash}'; connect-src 'self'; ` : ''}frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    }));
    pageHeaders.set(cacheKey, headers);
  }
  return headers;
}

/** A complete page around `body`, with the inline `css` and, at the end of the body, the inline `script`. */
export function renderPage(title: string, css: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
${script ? `<script>${script}</script>` : ''}
</body>
</html>
`;
}

/** A relative time people read at a glance: `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function formatAgo(ms: number, now: number): string {
  const minutes = Math.round((now - ms) / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
