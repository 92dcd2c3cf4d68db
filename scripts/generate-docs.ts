import { readFileSync, writeFileSync } from 'node:fs';
import { renderErrorsDoc, renderSettingsTable, SETTINGS_BEGIN, SETTINGS_END } from './render-docs.js';

writeFileSync('docs/errors.md', renderErrorsDoc());
const config = readFileSync('docs/configuration.md', 'utf8');
const start = config.indexOf(SETTINGS_BEGIN);
const end = config.indexOf(SETTINGS_END);
if (start < 0 || end < 0) throw new Error('docs/configuration.md lacks the settings markers');
writeFileSync('docs/configuration.md', `${config.slice(0, start + SETTINGS_BEGIN.length)}\n${renderSettingsTable()}\n${config.slice(end)}`);
console.log('docs/errors.md and docs/configuration.md updated');
