/**
 * A string as a JavaScript string literal in generated source. JSON leaves U+2028/U+2029 raw, which end a
 * `//` comment (and so break the program and its line map) when a path holds one: they are escaped too.
 */
export function sourceText(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
