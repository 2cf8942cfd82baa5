const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. Everything from a browser goes through here. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A UTC date-time people can read and sort: `2026-03-01 10:04:05Z`. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary);
}

const pageHeaders = new Map<string, Promise<Record<string, string>>>();

/**
 * Headers of the HTML pages: a Content-Security-Policy allowing nothing but the page's own inline style (by hash),
 * no framing, and no Referer, so a `?key=` in the address never leaves in a Referer header.
 */
export function getPageHeaders(css: string): Promise<Record<string, string>> {
  // Each page's CSS is a constant: hashed once, not on every request.
  let headers = pageHeaders.get(css);
  if (!headers) {
    headers = sha256Base64(css).then((hash) => ({
      'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    }));
    pageHeaders.set(css, headers);
  }
  return headers;
}

/** A complete page around `body`, with the inline `css`. */
export function renderPage(title: string, css: string, body: string): string {
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
</body>
</html>
`;
}
