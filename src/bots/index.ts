export { createBotService } from './bot-service.js';
export type { BotService, BotView } from './bot-service.js';
