// Slack as a destination: Block Kit messages posted to an incoming-webhook URL, checked by a local server against
// the shape Slack documents, through the same outbox, retries and private-network guard as signed webhooks.
import { afterEach, describe, expect, it } from 'vitest';
import { batchOf, createClock, demoRequest, eventAt, post, startConsumer, warmJourney } from '../../test/helpers.js';
import type { Answer, Consumer } from '../../test/helpers.js';
import { SQLITE, startTestReceiver } from '../../test/stores.js';
import type { Receiver, ReceiverOptions, SlackMessage } from '../index.js';
import { createReceiver } from '../index.js';

/**
 * What Slack's incoming webhooks take (docs.slack.dev, Block Kit reference): a top-level `text` fallback; at most
 * 50 blocks; a header's plain_text up to 150 characters; a section with `text` (up to 3000) or `fields` (at most 10,
 * each up to 2000); an actions block's buttons with plain_text, a URL and an action_id; context elements (at most 10).
 * Returns the problems found, empty for a valid message.
 */
function checkBlockKit(message: unknown): string[] {
  const problems: string[] = [];
  const m = message as Partial<SlackMessage> & Record<string, unknown>;
  if (typeof m.text !== 'string' || m.text === '') problems.push('text: a fallback is required');
  if (!Array.isArray(m.blocks) || m.blocks.length === 0 || m.blocks.length > 50) return [...problems, 'blocks: 1 to 50 expected'];
  const isText = (t: unknown, max: number) => {
    const o = t as { type?: unknown; text?: unknown };
    return (o?.type === 'plain_text' || o?.type === 'mrkdwn') && typeof o.text === 'string' && o.text.length > 0 && o.text.length <= max;
  };
  m.blocks.forEach((block, i) => {
    const b = block as Record<string, unknown>;
    if (b['type'] === 'header') {
      if (!isText(b['text'], 150) || (b['text'] as { type: string }).type !== 'plain_text')
        problems.push(`blocks[${i}]: header needs plain_text up to 150`);
    } else if (b['type'] === 'section') {
      const fields = b['fields'] as unknown[] | undefined;
      if (b['text'] === undefined && fields === undefined) problems.push(`blocks[${i}]: section needs text or fields`);
      if (b['text'] !== undefined && !isText(b['text'], 3000)) problems.push(`blocks[${i}].text: invalid`);
      if (fields !== undefined && (fields.length > 10 || !fields.every((f) => isText(f, 2000))))
        problems.push(`blocks[${i}].fields: invalid`);
    } else if (b['type'] === 'actions') {
      const elements = b['elements'] as Record<string, unknown>[];
      for (const e of elements) {
        if (e['type'] !== 'button' || !isText(e['text'], 75) || typeof e['url'] !== 'string' || typeof e['action_id'] !== 'string')
          problems.push(`blocks[${i}]: bad button`);
      }
    } else if (b['type'] === 'context') {
      const elements = b['elements'] as unknown[];
      if (elements.length > 10 || !elements.every((e) => isText(e, 3000))) problems.push(`blocks[${i}]: bad context`);
    } else problems.push(`blocks[${i}]: unexpected type ${String(b['type'])}`);
  });
  return problems;
}

describe('Slack destination', () => {
  let receiver: Receiver | undefined;
  let consumer: Consumer | undefined;
  const clock = createClock();

  afterEach(async () => {
    await receiver?.close();
    await consumer?.close();
    receiver = consumer = undefined;
  });

  async function setup(answers: Answer[] = [], options: Partial<ReceiverOptions> = {}) {
    consumer = await startConsumer(answers);
    receiver = await startTestReceiver(
      SQLITE,
      { slack: [{ url: consumer.url, dashboardUrl: 'https://inkling.example.com/dashboard' }], allowPrivateNetworks: true, ...options },
      clock,
    );
    return { consumer, receiver };
  }

  const send = async (r: Receiver, events: Parameters<typeof batchOf>[0]) => {
    await r.fetch(new Request('http://receiver.test/collect', { method: 'POST', ...post(batchOf(events, clock.now())) }));
    await r.flush();
  };

  it('posts a warm lead as a Block Kit message: level, who, reasons and a link to the lead page', async () => {
    const { consumer, receiver } = await setup();
    await send(receiver, [
      ...warmJourney('v_researcher_1', clock.now()),
      eventAt('identify', 'v_researcher_1', clock.now(), 1000, { props: { userId: 'ada@example.com' } }),
    ]);
    expect(consumer.received).toHaveLength(1);
    const [request] = consumer.received;
    expect(request!.headers['content-type']).toBe('application/json');
    // Slack checks no signature: none is sent, so no secret leaves for Slack.
    expect(request!.headers['webhook-signature']).toBeUndefined();
    const message = JSON.parse(request!.body) as SlackMessage;
    expect(checkBlockKit(message)).toEqual([]);
    const [lead] = await receiver.store.listLeads({ limit: 1 });
    expect(message.text).toMatch(/^Warm lead: ada@example\.com on example\.com: warm, \d+$/);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Warm lead: ada@example.com' } });
    expect(JSON.stringify(message.blocks[1])).toContain('*Level*\\nwarm (was cold)');
    expect(JSON.stringify(message.blocks[2])).toContain('• viewed pricing twice');
    expect(message.blocks).toContainEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the lead' },
          url: `https://inkling.example.com/dashboard/leads/${lead!.id}`,
          action_id: 'inkling_open_lead',
        },
      ],
    });
  });

  it("posts only the leads researching a destination's topics, with those topics in the message", async () => {
    consumer = await startConsumer();
    receiver = await startTestReceiver(
      SQLITE,
      {
        slack: [
          { url: `${consumer.url}/payroll`, topics: ['payroll'] },
          { url: `${consumer.url}/close`, topics: ['reconciliation'] },
        ],
        allowPrivateNetworks: true,
      },
      clock,
    );
    await send(receiver, warmJourney('v_payroll_001', clock.now(), [['payroll'], ['payroll'], ['<b>tax</b>']]));
    expect(consumer.received.map((r) => r.path)).toEqual(['/hooks/payroll']);
    const message = JSON.parse(consumer.received[0]!.body) as SlackMessage;
    expect(checkBlockKit(message)).toEqual([]);
    expect(message.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Researching*\n• payroll (2 reads, 8 min)\n• &lt;b&gt;tax&lt;/b&gt; (1 read, 4 min)' },
    });
  });

  it('posts a conversion by a lead already hot, and escapes what came from a browser', async () => {
    const { consumer, receiver } = await setup();
    await send(receiver, [
      demoRequest('v_buyer_00001', clock.now(), 3 * 3600_000),
      eventAt('identify', 'v_buyer_00001', clock.now(), 4 * 3600_000, { props: { userId: '<!channel> & co' } }),
    ]);
    await send(receiver, [demoRequest('v_buyer_00001', clock.now())]);
    const messages = consumer.received.map((r) => JSON.parse(r.body) as SlackMessage);
    for (const message of messages) expect(checkBlockKit(message)).toEqual([]);
    const converted = messages.filter((m) => m.text.startsWith('Converted'));
    expect(converted).toHaveLength(2);
    expect(converted[1]!.text).toBe('Converted: &lt;!channel&gt; &amp; co on example.com: requested a demo (hot, 100)');
    expect(JSON.stringify(converted[1]!.blocks)).toContain('*Who*\\n&lt;!channel&gt; &amp; co');
  });

  it('retries a failed post with the same body, and sends nothing for a cooled lead', async () => {
    const { consumer, receiver } = await setup([{ status: 500 }]);
    await send(receiver, warmJourney('v_researcher_1', clock.now()));
    clock.advance(10 * 60_000);
    await receiver.flush();
    expect(consumer.received).toHaveLength(2);
    expect(consumer.received[1]!.body).toBe(consumer.received[0]!.body);
    clock.advance(120 * 24 * 3600_000);
    await receiver.sweep();
    expect(consumer.received).toHaveLength(2);
  });

  it('refuses a Slack URL on a private network unless allowPrivateNetworks', async () => {
    const { consumer, receiver } = await setup([], { allowPrivateNetworks: false });
    await send(receiver, warmJourney('v_researcher_1', clock.now()));
    expect(consumer.received).toHaveLength(0);
    const [message] = await receiver.store.listMessages();
    expect(message!.lastError).toMatch(/^ssrf_blocked: /);
  });

  it('names a bad Slack option without echoing the URL', () => {
    expect(() => createReceiver({ slack: [{ url: 'hooks.slack.com/services/T000/B000/secret' }] })).toThrow(
      'slack[0].url: expected the Slack incoming-webhook URL (https://hooks.slack.com/services/...); the value given is not an http(s) URL',
    );
    expect(() => createReceiver({ slack: [{ url: 'https://hooks.slack.com/services/x', dashboardUrl: '/dashboard' }] })).toThrow(
      "slack[0].dashboardUrl: expected the dashboard's public address",
    );
  });
});
