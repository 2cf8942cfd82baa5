import { createAccountOps } from './accounts.js';
import { createEventOps } from './events.js';
import { createLeadOps } from './leads.js';
import { createOutboxOps } from './outbox.js';
import { createOutcomeOps } from './outcomes.js';
import { createPrivacyOps } from './privacy.js';
import { createProfileOps } from './profiles.js';
import type { SqlDatabase } from './sql.js';
import type { Store } from './types.js';

/** The {@link Store} on one SQL engine: every rule is here and in the modules it wires, the engine only runs them. */
export function createStore(db: SqlDatabase): Store {
  return {
    ...createEventOps(db),
    ...createLeadOps(db),
    ...createOutboxOps(db),
    ...createPrivacyOps(db),
    ...createOutcomeOps(db),
    ...createProfileOps(db),
    ...createAccountOps(db),
    close: () => db.close(),
  };
}
