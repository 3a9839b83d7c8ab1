/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`: the package a bare specifier names. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
