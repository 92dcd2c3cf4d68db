import type { Permission } from './permissions.js';

/** What every signed-in human may do regardless of roles: look after their own tokens and sessions. */
export const BASE_USER_PERMISSIONS: readonly Permission[] = ['token:manageOwn', 'session:manageOwn'];

export interface RoleDefinition {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
}

/** Seeded at start (created when missing, never overwritten), mirroring OpenMetadata's defaults. */
export const DEFAULT_ROLES: readonly RoleDefinition[] = [
  {
    name: 'DataConsumer',
    displayName: 'Data Consumer',
    description: 'Views all data assets and edits descriptions and tags.',
    permissions: ['entity:view', 'entity:editDescription', 'entity:editTags'],
  },
  {
    name: 'DataSteward',
    displayName: 'Data Steward',
    description: 'Views all data assets and edits descriptions, display names, lineage, owners and tags.',
    permissions: [
      'entity:view',
      'entity:editDescription',
      'entity:editDisplayName',
      'entity:editLineage',
      'entity:editOwners',
      'entity:editTags',
      'user:view',
    ],
  },
  {
    name: 'IngestionBotRole',
    displayName: 'Ingestion Bot',
    description: 'Lets ingestion bots create and update metadata and lineage.',
    permissions: ['entity:view', 'entity:create', 'entity:edit', 'entity:editLineage', 'entity:editDescription', 'entity:editTags', 'ingestion:run'],
  },
  {
    name: 'ProfilerBotRole',
    displayName: 'Profiler Bot',
    description: 'Lets profiler and data quality bots read metadata and write results.',
    permissions: ['entity:view', 'entity:edit', 'ingestion:run'],
  },
  {
    // Least privilege: a service that checks tokens (RFC 7662) needs nothing else, so this is its own role, not a
    // permission added to the ingestion bot's.
    name: 'TokenIntrospector',
    displayName: 'Token Introspector',
    description: 'Lets a service ask whether a Gatehouse or trusted issuer token is still active (token introspection).',
    permissions: ['token:introspect'],
  },
];
