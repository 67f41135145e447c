// The one refusal of a store that is not there: commands that only read (status, keys, doctor)
// open a database without creating one, so a mistyped AFTERCARE_DB never leaves an empty
// database behind and is named in the error instead.
import { AftercareError } from '../errors.js';

export function storeNotFound(where: string, why: string): AftercareError {
  return new AftercareError(
    'AFTERCARE_E_STORE_NOT_FOUND',
    `no Aftercare database at ${where} (${why}); check AFTERCARE_DB, or create one with \`aftercare migrate\``,
    { db: where, why },
  );
}
