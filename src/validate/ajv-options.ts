import type { Options } from 'ajv';

/**
 * How the schemas are compiled, at run time (schema.ts) and at build time (precompile.ts) alike:
 * the two must agree, or the build's validators would judge differently from ajv's own.
 */
export const AJV_OPTIONS = {
  allErrors: true,
  allowUnionTypes: true,
  verbose: true,
  // ownProperties: inherited names (`constructor`, `toString`) must never count as present.
  ownProperties: true,
  // A schema ajv finds ambiguous fails here, in the tests, instead of printing a warning on
  // every user's terminal.
  strict: true,
} as const satisfies Options;
