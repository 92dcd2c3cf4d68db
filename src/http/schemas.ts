import { Type, type TSchema } from 'typebox';

/** Shared schema pieces. Bodies never allow extra properties: unknown fields are errors, not silently ignored. */
export const Strict = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: false });

export const IdParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const NameParams = Strict({ name: Type.String({ minLength: 1, maxLength: 256 }) });

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export const PagingOut = Type.Object({ total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer() });

export const ErrorOut = Type.Object({
  code: Type.String(),
  message: Type.String(),
  detail: Type.Optional(Type.String()),
  requestId: Type.String(),
});

export { UserOut } from './api-schemas.js';

/** Standard error responses for the OpenAPI description. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorOut]));
