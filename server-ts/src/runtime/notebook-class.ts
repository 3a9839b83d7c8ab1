/**
 * A class defined in a notebook's `functions` cell. Any constructor will do,
 * user classes and those extending Map, Set, Array or Error alike, so this
 * stays the broad `Function` type on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type NotebookClass = Function;
