/**
 * Names a notebook variable may not have in a pipeline, and why: each works in a kernel's sloppy script but
 * cannot be one of a step's variables.
 */
export function reservedName(name: string): string | undefined {
  if (name === '__proto__')
    return 'an object key `__proto__` sets the prototype, so the step could not hand this variable on';
  if (name === 'eval' || name === 'arguments') return 'step programs are strict-mode modules, which forbid binding it';
  if (name.startsWith('__cellflow'))
    return 'names starting with `__cellflow` belong to the step program cellflow generates';
  return undefined;
}
