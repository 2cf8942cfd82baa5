// happy-dom has no IndexedDB: fake-indexeddb provides a spec-conformant one in memory.
import 'fake-indexeddb/auto';

// Every browser Inkling targets has `keepalive` on Request (Firefox since 133); happy-dom does not, and
// would send unload batches through its sendBeacon instead.
if (!('keepalive' in Request.prototype)) Object.defineProperty(Request.prototype, 'keepalive', { get: () => false });
