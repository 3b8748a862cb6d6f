// The document pool's worker when the app runs from its TypeScript sources (tests, tsx): Node cannot load
// .ts in a worker thread by itself (a loader given in execArgv is not applied there on Node 20), so this
// plain module loads the real worker through tsx's API, a development dependency the built app never
// reaches. The built app (dist/) starts the compiled worker directly. See document-pool.ts.
import { workerData } from 'piscina';

const { tsImport } = await import(workerData.tsx);
const worker = await tsImport(workerData.entry, import.meta.url);

export default worker.default;
