/**
 * Compile-time only (no code): `tsc --noEmit` fails here when a request body type that the
 * lab sends drifts from the JSON Schema the server checks it with (tokentoss/server/schemas/,
 * generated into schemaTypes.generated.ts by `npm run schemas:types`).
 */
import type { SignInRegistration, TokenUpload } from './schemaTypes.generated';
import type { ISignInRegistration, ITokenUpload } from './tokens';

/** Both ways: the same field names (an added or removed field), and every value fits the schema. */
type Conforms<Ours extends Schema, Schema> = [keyof Ours] extends [keyof Schema]
  ? [keyof Schema] extends [keyof Ours]
    ? true
    : ['missing in our type:', Exclude<keyof Schema, keyof Ours>]
  : ['not in the schema:', Exclude<keyof Ours, keyof Schema>];

/** Fails to compile unless `T` is `true`. */
type Check<T extends true> = T;

export type TokenUploadConforms = Check<Conforms<ITokenUpload, TokenUpload>>;
export type SignInRegistrationConforms = Check<
  Conforms<ISignInRegistration, SignInRegistration>
>;
