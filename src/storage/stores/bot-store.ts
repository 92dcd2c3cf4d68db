import type { Kysely } from 'kysely';
import type { BotsTable, Database } from '../schema/index.js';

export type BotRow = BotsTable;

/** Bots: a name, a description, and the bot user that owns their token. */
export interface BotStore {
  insert(row: BotRow): Promise<void>;
  list(): Promise<BotRow[]>;
  find(idOrName: string): Promise<BotRow | undefined>;
  findByUserId(userId: string): Promise<BotRow | undefined>;
  update(id: string, patch: Partial<Pick<BotRow, 'display_name' | 'description' | 'updated_at' | 'version' | 'updated_by' | 'deleted'>>): Promise<BotRow | undefined>;
}

export function createBotStore(db: Kysely<Database>): BotStore {
  return {
    async insert(row) {
      await db.insertInto('bots').values(row).execute();
    },
    list: () => db.selectFrom('bots').selectAll().orderBy('name').execute(),
    find: (idOrName) => db.selectFrom('bots').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).executeTakeFirst(),
    findByUserId: (userId) => db.selectFrom('bots').selectAll().where('bot_user_id', '=', userId).executeTakeFirst(),
    async update(id, patch) {
      await db.updateTable('bots').set(patch).where('id', '=', id).execute();
      return db.selectFrom('bots').selectAll().where('id', '=', id).executeTakeFirst();
    },
  };
}
