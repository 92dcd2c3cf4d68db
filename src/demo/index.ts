export { startSampleCatalog } from './sample-catalog.js';
export type { SampleCatalog } from './sample-catalog.js';
