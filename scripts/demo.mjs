// `npm start`: the example site with Inkling installed, a receiver on embedded SQLite (.inkling/demo.db)
// and a webhook consumer, all on 127.0.0.1. Browse the site, then open the dashboard.
// Ports: INKLING_DEMO_PORT (site, default 3000); the receiver and the webhook consumer take the next two.
// INKLING_DEMO_SCORE_BOTS=1 scores automated browsers, for walking the demo with one.
import { DEMO_TEAMS, startDemo } from './demo-server.mjs';

// Read before anything slow: if npm dies while the demo starts, this process already has another parent.
const parent = process.ppid;

const PORT_HINT =
  'choose other ports with INKLING_DEMO_PORT, e.g. INKLING_DEMO_PORT=4000 npm start (the demo uses that port and the next two)';

const text = process.env.INKLING_DEMO_PORT ?? '3000';
const base = Number(text);
if (!/^\d+$/.test(text) || base < 1 || base > 65533) {
  console.error(`INKLING_DEMO_PORT: expected a port from 1 to 65533 (the demo also uses the next two), got ${JSON.stringify(text)}`);
  process.exit(2);
}

let demo;
try {
  demo = await startDemo({
    sitePort: base,
    receiverPort: base + 1,
    hooksPort: base + 2,
    // INKLING_DEMO_SCORE_BOTS=1: walk the demo with a headless browser and still see leads (never in production).
    scoreBots: process.env.INKLING_DEMO_SCORE_BOTS === '1',
    // The lead id, as the dashboard shows it, and the link to the lead's page; for an account, its members' levels.
    onLead: ({ type, data }, team) => {
      if (type.startsWith('account.')) {
        const { account } = data;
        const name = typeof account.traits?.name === 'string' ? account.traits.name : account.key;
        const leads = data.leads.map((l) => `${l.userId ?? l.id} ${l.level} (${l.score})`).join(', ');
        console.log(
          `  ${team} team got ${type}: account ${name} (${account.key}) is ${data.level} (${data.score}) from ${account.members} people: ${data.reasons.join('; ')}\n    its people: ${leads}\n    ${demo.dashboardAccountUrl(account.id)}`,
        );
        return;
      }
      const topics = data.topics.length
        ? data.topics
            .slice(0, 3)
            .map((t) => t.name)
            .join(', ')
        : 'no topics yet';
      console.log(
        `  ${team} team got ${type}: lead ${data.lead.id}${data.lead.userId ? ` (${data.lead.userId})` : ''} is ${data.level} (${data.score}), researching ${topics}: ${data.reasons.join('; ')}\n    ${demo.dashboardPageUrl(data.lead.id)}`,
      );
    },
  });
} catch (error) {
  if (error?.code !== 'EADDRINUSE' && error?.code !== 'EACCES') throw error;
  const why = error.code === 'EADDRINUSE' ? 'is in use (another program, or a demo still running)' : 'may not be opened by this user';
  console.error(`Inkling demo: port ${error.port} on 127.0.0.1 ${why}; ${PORT_HINT}`);
  process.exit(1);
}

console.log(`
  Inkling demo

  Site (Inkling installed):  ${demo.siteUrl}/
  Warm and hot leads:        ${demo.dashboardUrl}
  Stored events:             ${demo.eventsUrl}
  Collector:                 ${demo.receiverUrl}/collect

  Read a few articles on the blog to the end, view pricing, then request a demo on the contact page:
  the dashboard shows the lead turn warm, then hot, and signed webhooks are printed here, per team:
${DEMO_TEAMS.map((t) => `    ${t.name.padEnd(9)} ${t.topics ? `leads researching ${t.topics.join(' or ')}` : 'every lead'}`).join('\n')}

  Accounts: in one browser open Contoso's sample workspace (Docs, Getting started), in another subscribe to the
  newsletter (Blog) with a work address at contoso.com; then in each read an article to the end and view pricing.
  Each lead stays cold; together they make the Contoso account warm:   ${demo.dashboardUrl.replace('/dashboard?', '/dashboard/accounts?')}
  Ctrl+C stops.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// npm forwards SIGINT and SIGTERM; if it dies without forwarding (SIGKILL, a closed terminal), this process is
// handed to another parent: stop then too, rather than keep the ports.
setInterval(() => process.ppid !== parent && stop(), 1000).unref();
