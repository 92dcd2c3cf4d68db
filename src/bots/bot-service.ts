import type { AuditContext, AuditLog } from '../audit/index.js';
import { SYSTEM_CONTEXT } from '../audit/index.js';
import { newId } from '../crypto/index.js';
import { GatehouseError } from '../errors/index.js';
import { nextEntityVersion, type Clock } from '../shared/index.js';
import type { BotRow, BotStore, RoleStore, UserRow, UserStore } from '../storage/index.js';
import type { TokenMetadata, TokenService } from '../tokens/index.js';
import { normalizeUserName } from '../users/index.js';

export interface BotView {
  id: string;
  name: string;
  displayName: string | null;
  description: string | null;
  botUser: { id: string; name: string; displayName: string | null };
  roles: string[];
  token: TokenMetadata | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  version: number;
  updatedBy: string | null;
  /** Soft-deleted (restorable): its bot user is deleted and disabled too, so its token is refused meanwhile. */
  deleted: boolean;
}

/** Bots: each has its own bot user (no password, never signs in) and at most one current token. */
export function createBotService(deps: {
  bots: BotStore; users: UserStore; roles: RoleStore; tokens: TokenService; audit: AuditLog; clock: Clock;
  /** Tells every instance the bot user is gone (cached principals and user views). */
  onUserChanged(userId: string): void;
}) {
  const { bots, users, roles, tokens, audit, clock } = deps;

  async function view(bot: BotRow): Promise<BotView> {
    const user = await users.findById(bot.bot_user_id);
    const grants = await roles.rolesOfUser(bot.bot_user_id);
    const current = (await tokens.list(bot.bot_user_id, 'BOT')).find((t) => !t.revoked) ?? null;
    return {
      id: bot.id, name: bot.name, displayName: bot.display_name, description: bot.description,
      botUser: { id: bot.bot_user_id, name: user?.name ?? bot.name, displayName: user?.display_name ?? null }, roles: grants.map((g) => g.role.name), token: current,
      createdAt: bot.created_at, updatedAt: bot.updated_at, version: bot.version ?? 0.1, updatedBy: bot.updated_by ?? null,
      deleted: bot.deleted === 1,
    };
  }

  async function botUser(userId: string): Promise<UserRow> {
    const user = await users.findById(userId);
    if (!user) throw new GatehouseError('NOT_FOUND', 'No such user.');
    // The original once let admins mint bot tokens for people; only bot users get bot tokens.
    if (user.is_bot !== 1) throw new GatehouseError('TOKEN_BOTS_ONLY');
    return user;
  }

  async function create(input: { name: string; displayName?: string | undefined; description?: string | undefined; roles?: string[] | undefined }, context: AuditContext): Promise<BotView> {
    const name = normalizeUserName(input.name);
    if ((await users.findByName(name)) || (await bots.find(name))) throw new GatehouseError('CONFLICT', `A user or bot named "${name}" exists.`);
    const roleIds: string[] = [];
    for (const roleName of input.roles ?? ['IngestionBotRole']) {
      const role = await roles.findByName(roleName);
      if (!role || role.deleted === 1) throw new GatehouseError('REQUEST_INVALID', `There is no role named "${roleName}".`);
      roleIds.push(role.id);
    }
    const now = clock.now();
    const user: UserRow = {
      id: newId(), name, email: null, display_name: input.displayName ?? name, is_admin: 0, is_bot: 1, disabled: 0,
      password_hash: null, must_change_password: 0, is_bootstrap: 0, created_at: now, updated_at: now,
    };
    await users.insert(user);
    const bot: BotRow = { id: newId(), name, display_name: input.displayName ?? null, description: input.description ?? null, bot_user_id: user.id, created_at: now, updated_at: now };
    await bots.insert(bot);
    await roles.replaceUserRoles(user.id, 'manual', roleIds, now);
    await audit.record(context, { type: 'bot.create', outcome: 'success', target: { type: 'bot', id: bot.id, name } });
    return view(bot);
  }


  /**
   * Soft delete (1) or restore (0). The bot user goes first on delete and last on restore, so there is no moment when the
   * bot looks deleted but its token still works; its cached principal and verified tokens are dropped on every instance.
   * The token itself is kept, not revoked: a restore is an undo (OpenMetadata's bot keeps its JWT across one too).
   */
  async function setDeleted(id: string, deleted: 0 | 1, actor: string, context: AuditContext): Promise<BotView> {
    const bot = await bots.find(id);
    if (!bot || (deleted === 1 && bot.deleted === 1)) throw new GatehouseError('NOT_FOUND', 'No such bot.');
    if (deleted === 0 && bot.deleted !== 1) throw new GatehouseError('REQUEST_INVALID', 'This bot is not deleted.');
    const now = clock.now();
    const user = await users.findById(bot.bot_user_id);
    const userPatch = { deleted, disabled: deleted, updated_at: now, updated_by: actor, ...(user ? { version: nextEntityVersion(user) } : {}) };
    const botPatch = { deleted, updated_at: now, version: nextEntityVersion(bot), updated_by: actor };
    if (deleted === 1) {
      await users.update(bot.bot_user_id, userPatch);
      deps.onUserChanged(bot.bot_user_id);
      await bots.update(bot.id, botPatch);
    } else {
      await bots.update(bot.id, botPatch);
      await users.update(bot.bot_user_id, userPatch);
      deps.onUserChanged(bot.bot_user_id);
    }
    await audit.record(context, {
      type: deleted === 1 ? 'bot.delete' : 'bot.update', outcome: 'success', target: { type: 'bot', id: bot.id, name: bot.name },
      details: deleted === 1 ? { soft: true } : { restored: true },
    });
    return view((await bots.find(bot.id)) ?? bot);
  }

  return {
    async list(): Promise<BotView[]> {
      return Promise.all((await bots.list()).map(view));
    },
    async get(idOrName: string): Promise<BotView | undefined> {
      const bot = await bots.find(idOrName);
      return bot ? view(bot) : undefined;
    },
    create,
    async update(id: string, input: { displayName?: string | undefined; description?: string | undefined }, context: AuditContext): Promise<BotView> {
      const bot = await bots.find(id);
      if (!bot) throw new GatehouseError('NOT_FOUND', 'No such bot.');
      if (bot.deleted === 1) throw new GatehouseError('REQUEST_INVALID', 'This bot is deleted; restore it first (PUT /api/v1/bots/restore).');
      const updated = await bots.update(bot.id, {
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updated_at: clock.now(),
        version: nextEntityVersion(bot),
      });
      await audit.record(context, { type: 'bot.update', outcome: 'success', target: { type: 'bot', id: bot.id, name: bot.name } });
      return view(updated ?? bot);
    },
    /** OpenMetadata's soft delete: the bot and its bot user are kept (restorable) but the bot user can no longer act. */
    softDelete: (id: string, actor: string, context: AuditContext) => setDeleted(id, 1, actor, context),
    /** The bot and its bot user act again; its token works again if it has not expired or been revoked meanwhile. */
    restore: (id: string, actor: string, context: AuditContext) => setDeleted(id, 0, actor, context),
    /** Hard delete (also of a soft-deleted bot): the bot, its bot user and its token go for good. */
    async remove(id: string, context: AuditContext): Promise<void> {
      const bot = await bots.find(id);
      if (!bot) throw new GatehouseError('NOT_FOUND', 'No such bot.');
      await tokens.revokeAllForUser(bot.bot_user_id);
      await users.delete(bot.bot_user_id);
      deps.onUserChanged(bot.bot_user_id);
      await audit.record(context, { type: 'bot.delete', outcome: 'success', target: { type: 'bot', id: bot.id, name: bot.name } });
    },
    /** PUT /users/generateToken/{id}: a new token for a bot user; its previous token stops working. */
    async generateToken(userId: string, expiry: string, context: AuditContext) {
      const user = await botUser(userId);
      // A deleted bot's user is disabled: a token made now would be refused anyway, so say why instead.
      if (user.deleted === 1) throw new GatehouseError('REQUEST_INVALID', 'This bot is deleted; restore it first (PUT /api/v1/bots/restore).');
      const roleNames = (await roles.rolesOfUser(user.id)).map((g) => g.role.name);
      const signed = await tokens.issueBotToken(user, roleNames, expiry);
      await audit.record(context, { type: 'token.generate', outcome: 'success', target: { type: 'bot', id: user.id, name: user.name }, details: { jti: signed.jti, expiry } });
      return { JWTToken: signed.token, JWTTokenExpiry: expiry, JWTTokenExpiresAt: signed.expiresAt, id: signed.jti };
    },
    async tokenInfo(userId: string): Promise<TokenMetadata | null> {
      const user = await botUser(userId);
      return (await tokens.list(user.id, 'BOT')).find((t) => !t.revoked) ?? null;
    },
    async revokeToken(userId: string, context: AuditContext): Promise<number> {
      const user = await botUser(userId);
      const revoked = await tokens.revokeAllForUser(user.id, 'BOT');
      await audit.record(context, { type: 'token.revoke', outcome: 'success', target: { type: 'bot', id: user.id, name: user.name }, details: { tokens: revoked } });
      return revoked.length;
    },
    /** The ingestion bot OpenMetadata installs ship with. */
    async seedIngestionBot(): Promise<void> {
      if (await bots.find('ingestion-bot')) return;
      try {
        await create({ name: 'ingestion-bot', displayName: 'Ingestion Bot', description: 'Runs metadata ingestion.', roles: ['IngestionBotRole'] }, SYSTEM_CONTEXT);
      } catch (error) {
        if (!(await bots.find('ingestion-bot'))) throw error;
      }
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;
