/**
 * Where the snapshot store keeps things, under `<workspace>/.cellflow/snapshots/`:
 * `objects/<2 hex>/<hash>` (file contents, read-only), `manifests/<id>.json.gz`, `pins.json`,
 * `stat-cache.tsv`, and `tmp/` for files being written (renamed into place whole, swept when stale).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export class StoreLayout {
  readonly dir: string;

  constructor(readonly workspace: string) {
    this.dir = join(workspace, '.cellflow', 'snapshots');
  }

  objectsDir(): string {
    return join(this.dir, 'objects');
  }

  object(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2), hash);
  }

  manifestsDir(): string {
    return join(this.dir, 'manifests');
  }

  manifest(id: string): string {
    return join(this.dir, 'manifests', `${id}.json.gz`);
  }

  pins(): string {
    return join(this.dir, 'pins.json');
  }

  statCache(): string {
    return join(this.dir, 'stat-cache.tsv');
  }

  tmpDir(): string {
    return join(this.dir, 'tmp');
  }

  /** A fresh temporary name: unique per process and call, so two snapshots at once never share one. */
  temp(what: string): string {
    return join(this.dir, 'tmp', `${what}.${process.pid}.${randomBytes(6).toString('hex')}`);
  }
}

export const MANIFEST_SUFFIX = '.json.gz';
