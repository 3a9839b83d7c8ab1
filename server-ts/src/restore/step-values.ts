/**
 * A step's values gathered into one folder the marshaller reads (`.cellflow-restore/state/`): its state
 * (`state/`, runtime/step-state.ts) and the outputs that state refers to, group files copied whole.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { savedValueNames, type ValueManifest } from '../runtime/marshal.js';
import { REFS_FILE, UNSAVED_FILE, type StateRefs, type UnsavedValue } from '../runtime/step-state.js';

export interface GatheredValues {
  values: string[];
  unsaved: UnsavedValue[];
}

/** Copies `stateDir`'s groups and the referenced groups of `outputsDir` into `target`. */
export function gatherStepValues(stateDir: string, outputsDir: string | undefined, target: string): GatheredValues {
  mkdirSync(target, { recursive: true });
  const refs = JSON.parse(readFileSync(join(stateDir, REFS_FILE), 'utf8')) as StateRefs;
  const unsaved = JSON.parse(readFileSync(join(stateDir, UNSAVED_FILE), 'utf8')) as UnsavedValue[];
  for (const file of readdirSync(stateDir)) {
    if (file !== REFS_FILE && file !== UNSAVED_FILE && !file.startsWith('.')) {
      copyFileSync(join(stateDir, file), join(target, file));
    }
  }
  const inState = new Set(savedValueNames(target).names);
  const wanted = new Set(refs.outputs.filter(name => !inState.has(name)));
  if (wanted.size > 0 && outputsDir && existsSync(outputsDir)) {
    for (const group of savedValueNames(outputsDir).groups) {
      // A group with a name the state holds already would make that name ambiguous: the state's copy wins.
      if (!group.some(name => wanted.has(name)) || group.some(name => inState.has(name))) continue;
      for (const file of groupFiles(outputsDir, group)) copyFileSync(join(outputsDir, file), join(target, file));
    }
  }
  return { values: savedValueNames(target).names, unsaved };
}

/** A group's files: its manifest, its v8 body and its blobs. */
function groupFiles(dir: string, group: readonly string[]): string[] {
  const id = [...group].sort()[0]!;
  const manifest = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as ValueManifest;
  return [`${id}.json`, manifest.data.file, ...manifest.blobs.map(blob => blob.file)];
}
