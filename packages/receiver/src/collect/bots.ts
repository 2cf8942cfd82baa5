/**
 * Bot user agents. Compact on purpose: the self-declared crawlers and monitors (they say "bot", "crawler",
 * "spider"...), HTTP libraries that no browser sends, and the markers of automated browsers. Bots rarely run the
 * SDK; the ones that do (headless renderers, previewers, uptime checks) must not look like interested buyers.
 * Sources: the patterns of the `isbot` package and Matomo's DeviceDetector, reduced to their common stems.
 */
const BOT_PATTERNS: readonly RegExp[] = [
  // "Cubot" is a phone maker, not a bot.
  /(?<!cu)bot\b|bot[/_-]|crawl|spider|slurp|scrap|archiver|indexer|fetcher|scanner/i,
  /headless|phantomjs|puppeteer|playwright|selenium|webdriver/i,
  /lighthouse|pagespeed|gtmetrix|pingdom|uptime|monitor|statuscake|site24x7/i,
  /facebookexternalhit|embedly|preview|quora link|whatsapp|skypeuripreview|slack-imgproxy/i,
  /^(curl|wget|httpie|python-requests|python-urllib|aiohttp|go-http-client|java\/|okhttp|libwww-perl|axios|node-fetch|got\b|undici|deno\/|bun\/)/i,
];

/**
 * True for a user agent that is a bot, a crawler, an HTTP library or an automated browser (HeadlessChrome,
 * PhantomJS, ...). A missing user agent is not flagged: server-side senders may omit it, and anyone can forge one
 * anyway — this keeps honest automation out of scoring, it is not a defence against a determined forger.
 *
 * @param extra - a site's own patterns, checked as well.
 */
export function isBotUserAgent(userAgent: string | null, extra: readonly RegExp[] = []): boolean {
  if (!userAgent) return false;
  return BOT_PATTERNS.some((re) => re.test(userAgent)) || extra.some((re) => re.test(userAgent));
}
