// The reading pages: a B2B blog with two articles and a pricing page, and a long article for the
// main-thread session. Every SDK gets the same pages, its tag at the end of the body; `none` gets none.

const SENTENCE =
  'Finance teams close the books faster when reconciliations run every day instead of once a month and when every exception lands with the person who can fix it';

/** `words` words of prose in paragraphs of 80, with a heading every six paragraphs. */
function prose(words, seed = 0) {
  const w = SENTENCE.split(' ');
  const paragraphs = [];
  for (let p = 0; p * 80 < words; p++) {
    const out = [];
    for (let i = p * 80; i < Math.min(words, (p + 1) * 80); i++) out.push(w[(i + seed) % w.length]);
    if (p % 6 === 5) paragraphs.push(`<h2>Part ${(p + 1) / 6}</h2>`);
    paragraphs.push(`<p>${out.join(' ')}.</p>`);
  }
  return paragraphs.join('\n');
}

const STYLE =
  'body{font:18px/1.6 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem}nav a{margin-right:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.5rem 1rem}';

function layout(title, main, next, tag) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><nav><a href="article-1">Blog</a><a href="pricing">Pricing</a><a href="article-2">Guides</a><a href="#" id="cta">Book a demo</a></nav>
${main}
${next ? `<p><a id="next" href="${next}">Continue reading</a></p>` : ''}
<footer><p>Ledgerly, Inc.</p></footer>
${tag}
</body></html>`;
}

const PAGES = {
  // ~1,000 words: a qualified read after about 90 s of attention.
  'article-1': (tag) =>
    layout('Daily close: why month-end is a habit, not a law', `<article><h1>Daily close</h1>${prose(1000)}</article>`, 'pricing', tag),
  pricing: (tag) =>
    layout(
      'Pricing',
      `<h1>Pricing</h1><table><tr><th>Plan</th><th>Price</th><th>Seats</th></tr><tr><td>Starter</td><td>$49</td><td>3</td></tr><tr><td>Team</td><td>$199</td><td>15</td></tr><tr><td>Enterprise</td><td>Talk to us</td><td>Unlimited</td></tr></table>${prose(300, 3)}`,
      'article-2',
      tag,
    ),
  'article-2': (tag) =>
    layout('Reconciliation rules that scale', `<article><h1>Reconciliation rules</h1>${prose(1000, 5)}</article>`, '', tag),
  // ~6,000 words, so continuous scrolling does not reach the end too soon.
  long: (tag) =>
    layout('The complete guide to continuous accounting', `<article><h1>Continuous accounting</h1>${prose(6000, 7)}</article>`, '', tag),
  throughput: (tag) => layout('Queue throughput', '<p>Queue throughput page.</p>', '', tag),
};

/**
 * A page server for `pages()` in servers.mjs: `/<sdk>/<page>` is that page with that SDK's tag, where
 * `tags[sdk]` is the tag's HTML (`none` has the empty tag).
 */
export function pageRouter(tags) {
  return (path) => {
    const [, sdk, page] = /^\/([\w-]+)\/([\w-]+)$/.exec(path) ?? [];
    if (!sdk || !(sdk in tags) || !PAGES[page]) return undefined;
    return PAGES[page](tags[sdk]);
  };
}
