import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The access rules the gateway tests run with: public health, reads for DataConsumer, writes for DataSteward, /admin for Admin. */
export const GATEWAY_RULES_YAML = [
  'gateway:',
  '  default: deny',
  '  returnHosts: [data.example.com, 127.0.0.1]',
  '  audiences: { "*.apps.example.com": catalog-apps }',
  '  rules:',
  '    - { pathPrefix: /healthz, allow: public }',
  '    - { pathPrefix: /api, methods: [GET], allow: [DataConsumer, DataSteward, Admin] }',
  '    - { pathPrefix: /api, allow: [DataSteward, Admin] }',
  '    - { pathPrefix: /admin, allow: [Admin] }',
  '    - { pathPrefix: /, allow: authenticated }',
  '',
].join('\n');

/** Writes the gateway rules to a YAML file in `dir` and returns its path (for GATEHOUSE_CONFIG). */
export function writeGatewayConfig(dir: string): string {
  const file = join(dir, 'gatehouse-gateway.yaml');
  writeFileSync(file, GATEWAY_RULES_YAML);
  return file;
}
