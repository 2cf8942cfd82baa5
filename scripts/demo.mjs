// `npm start`: the example site with Inkling installed, a receiver on embedded SQLite (.inkling/demo.db)
// and a webhook consumer, all on 127.0.0.1. Browse the site, then open the dashboard.
// Ports: INKLING_DEMO_PORT (site, default 3000); the receiver and the webhook consumer take the next two.
// INKLING_DEMO_SCORE_BOTS=1 scores automated browsers, for walking the demo with one.
import { startDemo } from './demo-server.mjs';

const base = Number(process.env.INKLING_DEMO_PORT ?? 3000);
const demo = await startDemo({
  sitePort: base,
  receiverPort: base + 1,
  hooksPort: base + 2,
  // INKLING_DEMO_SCORE_BOTS=1: walk the demo with a headless browser and still see leads (never in production).
  scoreBots: process.env.INKLING_DEMO_SCORE_BOTS === '1',
    // The lead id, as the dashboard shows it, and the link to the lead's page.
  onLead: ({ type, data }) =>
    console.log(`  webhook ${type}: lead ${data.lead.id}${data.lead.userId ? ` (${data.lead.userId})` : ''} is ${data.level} (${data.score}): ${data.reasons.join('; ')}\n    ${demo.dashboardPageUrl(data.lead.id)}`),
});

console.log(`
  Inkling demo

  Site (Inkling installed):  ${demo.siteUrl}/
  Warm and hot leads:        ${demo.dashboardUrl}
  Stored events:             ${demo.eventsUrl}
  Collector:                 ${demo.receiverUrl}/collect

  Read a few articles on the blog to the end, view pricing, then request a demo on the contact page:
  the dashboard shows the lead turn warm, then hot, and signed webhooks are printed here.
  Ctrl+C stops.
`);

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
