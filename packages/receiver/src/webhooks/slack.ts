/**
 * Slack as a destination: the warm, hot and converted webhooks, posted to a Slack incoming-webhook URL as a Block
 * Kit message (a header, the level and score, who, the reasons, a button to the lead's page). They travel through
 * the same outbox as the signed webhooks, so the same retry schedule, 410 handling and SSRF guard apply; Slack
 * needs no signature.
 */
import type { ConversionWebhookPayload, IntentWebhookPayload } from './payload.js';
import { ROUTING_TOP_TOPICS } from './routing.js';

/** A Slack incoming webhook to post leads to. */
export interface SlackDestination {
  /** The incoming-webhook URL Slack gave you (`https://hooks.slack.com/services/...`). Keep it secret. */
  url: string;
  /**
   * The dashboard's public address (`https://inkling.example.com/dashboard`), for the message's "Open the lead"
   * button (`<dashboardUrl>/leads/<id>`). Without it the message has no button.
   */
  dashboardUrl?: string;
  /** Post only leads researching one of these topics (as `webhooks[].topics`). @default every lead */
  topics?: readonly string[];
}

/** A Slack text object. */
type SlackText = { type: 'plain_text'; text: string } | { type: 'mrkdwn'; text: string };

/** A Block Kit message as an incoming webhook takes it: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: (
    | { type: 'header'; text: SlackText }
    | { type: 'section'; text?: SlackText; fields?: SlackText[] }
    | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string; action_id: string }[] }
    | { type: 'context'; elements: SlackText[] }
  )[];
}

/** Slack's limits: a header's text 150 characters, a section's 3000, a field's 2000. */
const HEADER_MAX = 150;
const FIELD_MAX = 2000;

/** Escapes text for mrkdwn: Slack reads `&`, `<` and `>` as markup (links, mentions). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const TITLES: Record<string, string> = { 'lead.warm': 'Warm lead', 'lead.hot': 'Hot lead', 'lead.converted': 'Converted' };

/**
 * The Slack message for a webhook payload, or `undefined` for one sales does not need in Slack (`lead.cooled`).
 * Everything that came from a browser is escaped.
 */
export function toSlackMessage(payload: IntentWebhookPayload | ConversionWebhookPayload, dashboardUrl?: string): SlackMessage | undefined {
  const title = TITLES[payload.type];
  if (!title) return undefined;
  const { lead, score, level, reasons } = payload.data;
  const who = lead.userId ?? 'Anonymous visitor';
  const what = payload.type === 'lead.converted' ? `${payload.data.conversion.reason} (${level}, ${score})` : `${level}, ${score}`;
  const previous = payload.type === 'lead.converted' ? '' : ` (was ${payload.data.previous})`;
  const blocks: SlackMessage['blocks'] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${title}: ${who}`, HEADER_MAX) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Level*\n${level}${previous}` },
        { type: 'mrkdwn', text: `*Score*\n${score} / 100` },
        { type: 'mrkdwn', text: clip(`*Who*\n${escapeMrkdwn(who)}`, FIELD_MAX) },
        { type: 'mrkdwn', text: clip(`*Site*\n${escapeMrkdwn(lead.site)}`, FIELD_MAX) },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*Why*\n${reasons.length ? reasons.map((r) => `• ${escapeMrkdwn(r)}`).join('\n') : 'no reason given'}`, FIELD_MAX),
      },
    },
  ];
  // What the lead researches, so the channel sees at a glance which specialist should call.
  const topics = (payload.data.topics ?? []).slice(0, ROUTING_TOP_TOPICS);
  if (topics.length) {
    const lines = topics.map((t) => `• ${escapeMrkdwn(t.name)} (${t.reads} read${t.reads === 1 ? '' : 's'}, ${t.minutes} min)`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Researching*\n${lines.join('\n')}`, FIELD_MAX) } });
  }
  if (dashboardUrl) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the lead' },
          url: `${dashboardUrl.replace(/\/$/, '')}/leads/${encodeURIComponent(lead.id)}`,
          action_id: 'inkling_open_lead',
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Lead \`${escapeMrkdwn(lead.id)}\` · model ${escapeMrkdwn(payload.data.model)}` }],
  });
  // The fallback is read as mrkdwn too: a user id of "<!channel>" must not ping the channel.
  return { text: clip(escapeMrkdwn(`${title}: ${who} on ${lead.site}: ${what}`), FIELD_MAX), blocks };
}
