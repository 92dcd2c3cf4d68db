export { checkProvidersOnline } from './online-check.js';
export { probeProblems, probeProviders } from './provider-probe.js';
export type { ProviderCheck, ProviderProbe } from './provider-probe.js';
export { readConfiguredDatabase } from './read-database.js';
export type { CheckedDatabase } from './read-database.js';
export { productionChecklist, providerSettingsFrom, startupProblems, startupRefusal } from './startup-checks.js';
export type { ChecklistItem, StartupCheck, StartupProblem } from './startup-checks.js';
export { readStartupFacts } from './startup-facts.js';
export type { FactSource, StartupFacts } from './startup-facts.js';
