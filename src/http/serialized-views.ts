import type { FastifyReply } from 'fastify';
import { GatehouseError } from '../errors/index.js';
import type { UserView } from '../users/index.js';

/** A 200 answer as text, by the route's own compiled response schema (what Fastify would have sent). */
export function serializeOk(reply: FastifyReply, value: object): string {
  const serialize = reply.getSerializationFunction('200');
  // Every route that calls this declares a 200 schema; without one the text would not be filtered by it.
  if (!serialize) throw new GatehouseError('INTERNAL', 'The route declares no 200 response schema.');
  return serialize(value as Record<string, unknown>);
}

/**
 * Sends already-serialized JSON as it is: with a JSON content type and a string payload, Fastify skips the route's
 * serializer (the text was made by it).
 */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

/**
 * loggedInUser's answer as JSON text, built once per cached user view and shape (plain or `fields=gatehouse`) with the
 * route's own compiled serializer. Keyed by the view object itself: the user-view cache hands out one frozen object
 * until a change event drops it, and a dropped view takes its text with it (WeakMap), so the text is exactly as fresh
 * as the view with no invalidation of its own to forget.
 */
export function createSerializedViews() {
  const texts = new WeakMap<UserView, { plain?: string; extras?: string }>();
  return {
    /** The text for this view and shape; `render` runs only when this view has none yet. */
    textOf(view: UserView, extras: boolean, render: () => string): string {
      let entry = texts.get(view);
      if (!entry) {
        entry = {};
        texts.set(view, entry);
      }
      const shape = extras ? 'extras' : 'plain';
      return (entry[shape] ??= render());
    },
  };
}
