// happy-dom has no IndexedDB: fake-indexeddb provides a spec-conformant one in memory.
import 'fake-indexeddb/auto';
