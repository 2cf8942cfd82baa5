'use client';
import { useIntent } from './use-intent';

/** The level in a word, for a header: `warm`. */
export function IntentBadge() {
  const intent = useIntent();
  return <span id="intent-badge">{intent ? intent.level : '…'}</span>;
}

/** The level, the score and the reasons. */
export function IntentPanel() {
  const intent = useIntent();
  if (!intent) return <p id="intent">Reading your intent…</p>;
  return (
    <div id="intent" data-level={intent.level}>
      <p>
        Intent: <strong>{intent.level}</strong> ({intent.score}/100)
      </p>
      <ul>
        {intent.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </div>
  );
}
