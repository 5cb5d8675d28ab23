// Type-level ties between the frontend's shapes (types.ts) and the Go types
// as `wails generate module` writes them (frontend/wailsjs/go/models.ts).
// The generated classes are looser than types.ts (a Go string where the
// frontend knows the few values it may take, time.Time as any, no null), so
// the frontend keeps its own shapes and these checks make them follow Go:
// a renamed, removed or retyped Go field fails `npm run check`.

type Fn = (...args: never[]) => unknown;
type IsAny<T> = 0 extends 1 & T ? true : false;

/** A generated Go type as its JSON: methods dropped, time.Time (any in the models) a string. */
export type Plain<G> =
  IsAny<G> extends true
    ? string
    : G extends Fn
      ? never
      : G extends readonly (infer E)[]
        ? Plain<E>[]
        : G extends object
          ? { [K in keyof G as G[K] extends Fn ? never : K]: Plain<G[K]> }
          : G;

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

// Where: 'out' for an answer Go sends (each field the frontend needs is
// there, with a type it may refine), 'in' for a value sent to Go (besides,
// every Go field is sent).
type Where = 'in' | 'out';

/** The paths where T does not read (or write) the JSON of G, or never when it does. */
export type Mismatch<T, G, W extends Where, P extends string = ''> =
  IsAny<T> extends true
    ? never
    : [T] extends [readonly (infer TE)[]]
      ? [G] extends [readonly (infer GE)[]]
        ? Mismatch<NonNullable<TE>, NonNullable<GE>, W, `${P}[]`>
        : `${P}: not a list in Go`
      : [T] extends [object]
        ? [G] extends [object]
          ? ObjectMismatch<T, G, W, P>
          : `${P}: not an object in Go`
        : [T] extends [G]
          ? never
          : `${P}: another type in Go`;

type ObjectMismatch<T, G, W extends Where, P extends string> =
  string extends keyof T
    ? string extends keyof G
      ? Mismatch<NonNullable<T[string]>, NonNullable<G[string & keyof G]>, W, `${P}[key]`>
      : `${P}: not a map in Go`
    :
        | {
            [K in keyof T & string]: K extends keyof G
              ? Mismatch<NonNullable<T[K]>, NonNullable<G[K]>, W, `${P}.${K}`>
              : K extends RequiredKeys<T>
                ? `${P}.${K}: not in Go`
                : never;
          }[keyof T & string]
        | (W extends 'in' ? { [K in Exclude<keyof G, keyof T> & string]: `${P}.${K}: not sent` }[Exclude<keyof G, keyof T> & string] : never);

/** Empty when T reads G's JSON; else one argument naming where they part, so that a call fails to compile. */
export type Agrees<T, G, W extends Where> = [Mismatch<T, Plain<G>, W>] extends [never] ? [] : [`Go and the frontend differ at: ${Mismatch<T, Plain<G>, W>}`];

/** True when T reads G's JSON (for type-level tests). */
export type Reads<T, G> = [Mismatch<T, Plain<G>, 'out'>] extends [never] ? true : Mismatch<T, Plain<G>, 'out'>;

/** True when T writes all of G's JSON (for type-level tests). */
export type Writes<T, G> = [Mismatch<T, Plain<G>, 'in'>] extends [never] ? true : Mismatch<T, Plain<G>, 'in'>;

/** Reads a bound method's answer of Go type G as the frontend's T; compiles only while they agree. */
export const read =
  <T>() =>
  <G>(value: G, ...agree: Agrees<T, G, 'out'>): T => {
    void agree;
    return value as unknown as T;
  };

/** Passes the frontend's T to a bound method taking Go type G; compiles only while T carries all of G. */
export const send =
  <G>() =>
  <T>(value: T, ...agree: Agrees<T, G, 'in'>): G => {
    void agree;
    return value as unknown as G;
  };
