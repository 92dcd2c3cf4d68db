import type { Permission } from './permissions.js';

/** What every signed-in human may do regardless of roles: look after their own tokens and sessions. */
export const BASE_USER_PERMISSIONS: readonly Permission[] = ['token:manageOwn', 'session:manageOwn'];

export interface RoleDefinition {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  /**
   * Earlier releases' permissions for this role. A stored role that still has exactly one of these was never edited,
   * so start-up brings it up to date; an edited role is left as the administrators made it.
   */
  readonly previousPermissions?: readonly (readonly Permission[])[];
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
    // What an OpenMetadata ingestion run does: read and write every kind of metadata (owners, display names and lineage
    // included; entities gone from the source are marked deleted) and look up users and teams to resolve owners. Nothing
    // that administers Gatehouse itself (users, roles, bots, keys, audit).
    name: 'IngestionBotRole',
    displayName: 'Ingestion Bot',
    description: 'Lets ingestion bots read and write metadata and lineage, and look up users to set owners.',
    permissions: [
      'entity:view', 'entity:create', 'entity:edit', 'entity:delete', 'entity:editDescription', 'entity:editDisplayName',
      'entity:editTags', 'entity:editOwners', 'entity:editLineage', 'ingestion:run', 'user:view',
    ],
    previousPermissions: [
      ['entity:view', 'entity:create', 'entity:edit', 'entity:editLineage', 'entity:editDescription', 'entity:editTags', 'ingestion:run'],
    ],
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
